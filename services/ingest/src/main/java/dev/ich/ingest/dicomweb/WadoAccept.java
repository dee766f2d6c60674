package dev.ich.ingest.dicomweb;

import dev.ich.ingest.dicomweb.InstanceIndex.Instance;
import dev.ich.runtime.problem.ApiProblem;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * What a WADO-RS {@code Accept} may ask for, and the 406 that says why when it asks for something else. Instances
 * go out as stored: {@code multipart/related; type="application/dicom"} with any transfer-syntax parameter that is
 * absent, {@code *}, or the one every asked-for instance is stored in; ich renders nothing, serves no bulk data
 * parts and does not transcode. Metadata is {@code application/dicom+json} (or {@code application/json}).
 */
public final class WadoAccept {
    public static final String DICOM = "application/dicom";
    public static final String MULTIPART = "multipart/related; type=\"" + DICOM + "\"";

    private WadoAccept() {
    }

    static void requireDicom(String accept, List<Instance> instances) {
        List<String> refused = new ArrayList<>();
        for (MediaType m : ranges(accept)) {
            if (m.isWildcardType() || m.getType().equals("multipart") && m.isWildcardSubtype()) return;
            if (!m.getType().equals("multipart") || !m.getSubtype().equals("related")) {
                refused.add(m + " is not served here (WADO-RS retrieve answers " + MULTIPART + "; metadata is at .../metadata)");
                continue;
            }
            String type = unquote(m.getParameters().get("type"));
            if (type != null && !type.equalsIgnoreCase(DICOM)) {
                refused.add("type=\"" + type + "\" is not served: only whole instances (" + DICOM + "), no bulk data or rendered parts");
                continue;
            }
            String ts = unquote(m.getParameters().get("transfer-syntax"));
            if (ts == null || ts.equals("*")) return;
            TreeSet<String> stored = new TreeSet<>();
            instances.forEach(i -> stored.add(String.valueOf(i.transferSyntaxUid())));
            if (stored.equals(new TreeSet<>(List.of(ts)))) return;
            refused.add("transfer-syntax=" + ts + " cannot be served: ich sends instances as stored and does not transcode; these are"
                    + " stored as " + stored + " (ask for transfer-syntax=* or one of those)");
        }
        throw notAcceptable(accept, refused);
    }

    static void requireJson(String accept) {
        List<String> refused = new ArrayList<>();
        for (MediaType m : ranges(accept)) {
            if (m.isWildcardType() || m.getType().equals("application") && (m.isWildcardSubtype()
                    || m.getSubtype().equals("dicom+json") || m.getSubtype().equals("json"))) {
                return;
            }
            refused.add(m + " is not served (metadata is application/dicom+json; no XML)");
        }
        throw notAcceptable(accept, refused);
    }

    /** The media ranges of an Accept header; none (absent or empty) means anything. */
    private static List<MediaType> ranges(String accept) {
        List<MediaType> out = new ArrayList<>();
        if (accept == null || accept.isBlank()) return List.of(MediaType.WILDCARD_TYPE);
        for (String range : splitOutsideQuotes(accept)) {
            if (range.isBlank()) continue;
            try {
                MediaType m = MediaType.valueOf(range.strip());
                String q = m.getParameters().get("q");
                if (q != null && Double.parseDouble(q) == 0) continue;
                out.add(new MediaType(m.getType().toLowerCase(Locale.ROOT), m.getSubtype().toLowerCase(Locale.ROOT), m.getParameters()));
            } catch (IllegalArgumentException e) {
                // an unreadable range is one the caller cannot be served by; the 406 lists what is
            }
        }
        return out;
    }

    private static List<String> splitOutsideQuotes(String header) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') quoted = !quoted;
            if (c == ',' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static ApiProblem notAcceptable(String accept, List<String> refused) {
        return new ApiProblem(406, "NotAcceptable", "Accept: " + accept + " cannot be served: "
                + (refused.isEmpty() ? "no media range in it could be read" : String.join("; ", refused)));
    }

    private static String unquote(String s) {
        if (s == null) return null;
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
