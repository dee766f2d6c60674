package dev.ich.labeling.labels;

import dev.ich.core.label.Label;
import dev.ich.runtime.problem.ApiProblem;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams an RSNA label CSV ({@code ID,Label} then {@code ID_<slice>_<label>,<0|1>}) into one 6-value row
 * per slice. Problems are counted, not thrown: only a file with no usable line at all is refused. The real
 * file (4.5 million lines) parses in seconds: one pass, no regex, a byte per label.
 */
public final class LabelCsvParser {
    static final int EXAMPLES = 5;
    /** A label not given. */
    public static final byte MISSING = -1;
    private static final Label[] LABELS = Label.values();

    private final Map<String, byte[]> slices = new HashMap<>();
    private final Map<LabelProblem, List<String>> examples = new EnumMap<>(LabelProblem.class);
    private final Map<LabelProblem, Long> counts = new EnumMap<>(LabelProblem.class);
    private long rows;
    private long duplicates;

    /** The parsed file: complete slices and the problems seen. */
    public record Parsed(Map<String, byte[]> complete, long rows, long duplicates, Map<LabelProblem, Long> counts,
                         Map<LabelProblem, List<String>> examples) {
    }

    public static Parsed parse(InputStream in) throws IOException {
        return new LabelCsvParser().run(in);
    }

    private Parsed run(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        String header = reader.readLine();
        if (header == null || header.isBlank()) {
            throw ApiProblem.badRequest("the label file is empty: expected a header 'ID,Label' and lines like "
                    + "ID_<slice>_epidural,0");
        }
        if (header.startsWith("\uFEFF")) header = header.substring(1);
        if (!header.trim().replace(" ", "").equalsIgnoreCase("ID,Label")) {
            throw ApiProblem.badRequest("the first line must be the header 'ID,Label' (the RSNA label CSV), not '"
                    + abbreviate(header) + "'");
        }
        long lineNo = 1;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) continue;
            rows++;
            line(line, lineNo);
        }
        if (rows == 0) throw ApiProblem.badRequest("the label file has a header but no label lines");
        Map<String, byte[]> complete = new HashMap<>(slices.size() * 2);
        for (Map.Entry<String, byte[]> e : slices.entrySet()) {
            byte[] v = e.getValue();
            boolean all = true;
            for (byte b : v) all &= b != MISSING;
            if (!all) {
                problem(LabelProblem.INCOMPLETE_SLICE, e.getKey() + " has " + given(v));
                continue;
            }
            boolean anySubtype = false;
            for (Label l : Label.SUBTYPES) anySubtype |= v[l.ordinal()] == 1;
            if ((v[Label.ANY.ordinal()] == 1) != anySubtype) {
                problem(LabelProblem.ANY_DISAGREES, e.getKey() + ": any=" + v[Label.ANY.ordinal()] + " but "
                        + (anySubtype ? "a subtype is 1" : "no subtype is 1"));
            }
            complete.put(e.getKey(), v);
        }
        if (complete.isEmpty()) {
            throw ApiProblem.badRequest("no slice in the label file has all six labels (" + rows + " lines read; "
                    + summary() + ")");
        }
        return new Parsed(complete, rows, duplicates, Map.copyOf(counts), Map.copyOf(examples));
    }

    private void line(String line, long lineNo) {
        int comma = line.lastIndexOf(',');
        String id = comma < 0 ? line.trim() : line.substring(0, comma).trim();
        int sep = id.lastIndexOf('_');
        if (comma < 0 || !id.startsWith("ID_") || sep <= 3) {
            problem(LabelProblem.MALFORMED_LINE, at(lineNo, line));
            return;
        }
        String slice = id.substring(3, sep);
        Label label = label(id.substring(sep + 1));
        if (label == null) {
            problem(LabelProblem.UNKNOWN_LABEL, at(lineNo, line));
            return;
        }
        String value = line.substring(comma + 1).trim();
        byte v;
        if (value.equals("0")) v = 0;
        else if (value.equals("1")) v = 1;
        else {
            problem(LabelProblem.BAD_VALUE, at(lineNo, line));
            return;
        }
        byte[] values = slices.computeIfAbsent(slice, k -> newRow());
        byte before = values[label.ordinal()];
        if (before == v) duplicates++;
        else if (before != MISSING) problem(LabelProblem.CONFLICTING_DUPLICATE, at(lineNo, line) + " (was " + before + ")");
        values[label.ordinal()] = v;
    }

    private static Label label(String name) {
        for (Label l : LABELS) if (l.csvName().equals(name)) return l;
        return null;
    }

    private static byte[] newRow() {
        byte[] b = new byte[LABELS.length];
        java.util.Arrays.fill(b, MISSING);
        return b;
    }

    private static String given(byte[] v) {
        List<String> names = new ArrayList<>();
        for (Label l : LABELS) if (v[l.ordinal()] != MISSING) names.add(l.csvName());
        return names.isEmpty() ? "no label" : "only " + String.join(", ", names);
    }

    private void problem(LabelProblem kind, String example) {
        counts.merge(kind, 1L, Long::sum);
        List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
        if (list.size() < EXAMPLES) list.add(example);
    }

    private String summary() {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, n) -> parts.add(n + " " + k.meaning()));
        return parts.isEmpty() ? "no problems" : String.join("; ", parts);
    }

    private static String at(long lineNo, String line) {
        return "line " + lineNo + ": " + abbreviate(line);
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
