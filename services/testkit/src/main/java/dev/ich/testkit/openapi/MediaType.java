package dev.ich.testkit.openapi;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A media type as an OpenAPI document declares it and an answer's Content-Type sends it: {@code type/subtype} and
 * its parameters. A declared type admits an answer of the same essence whose parameters include every declared one
 * ({@code multipart/related; type="application/dicom"} admits the same with a boundary), and wildcards admit any.
 */
record MediaType(String essence, Map<String, String> parameters) {
    static MediaType of(String value) {
        String[] parts = value.split(";");
        Map<String, String> parameters = new TreeMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0) continue;
            String v = parts[i].substring(eq + 1).trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
            parameters.put(parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT), v.toLowerCase(Locale.ROOT));
        }
        return new MediaType(parts[0].trim().toLowerCase(Locale.ROOT), parameters);
    }

    boolean admits(MediaType actual) {
        String[] mine = essence.split("/", 2);
        String[] theirs = actual.essence.split("/", 2);
        if (mine.length < 2 || theirs.length < 2) return essence.equals("*/*") || essence.equals(actual.essence);
        boolean type = mine[0].equals("*") || mine[0].equals(theirs[0]);
        boolean subtype = mine[1].equals("*") || mine[1].equals(theirs[1]);
        return type && subtype && parameters.entrySet().stream()
                .allMatch(p -> p.getValue().equals(actual.parameters.get(p.getKey())));
    }
}
