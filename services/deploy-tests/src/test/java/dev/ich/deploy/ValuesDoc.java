package dev.ich.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * values.yaml's documentation comments, the convention of Bitnami's charts (readme-generator-for-helm):
 * {@code ## @section Title}, optionally followed by {@code ## @descriptionStart} ... {@code ## @descriptionEnd},
 * and {@code ## @param dotted.key description} above each value. A description may go on over following
 * {@code ##   } lines (two or more spaces), which readme-generator ignores. A @param on an object documents the
 * whole object when its keys have no @param of their own (resources, selectors: their keys are free).
 */
record ValuesDoc(List<Section> sections, JsonNode values) {
    private static final Pattern SECTION = Pattern.compile("^\\s*## @section (.+)$");
    private static final Pattern PARAM = Pattern.compile("^\\s*## @param (\\S+) (.+)$");
    private static final Pattern CONTINUATION = Pattern.compile("^\\s*## {2,}(\\S.*)$");
    private static final Pattern TEXT = Pattern.compile("^\\s*##(?: (.*))?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Param(String key, String description) {
    }

    record Section(String title, String description, List<Param> params) {
    }

    static ValuesDoc of(Path valuesYaml) {
        try {
            String text = Files.readString(valuesYaml);
            return new ValuesDoc(sections(text), new YAMLMapper().readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ValuesDoc chart() {
        return of(Repo.chart().resolve("values.yaml"));
    }

    private static List<Section> sections(String text) {
        List<Section> sections = new ArrayList<>();
        String title = null;
        StringBuilder description = null;
        List<Param> params = null;
        String key = null;
        StringBuilder param = null;
        boolean inDescription = false;
        for (String line : (text + "\n").lines().toList()) {
            Matcher m;
            if (param != null && (m = CONTINUATION.matcher(line)).matches()) {
                param.append(' ').append(m.group(1).strip());
                continue;
            }
            if (param != null) {
                params.add(new Param(key, param.toString()));
                param = null;
            }
            if ((m = SECTION.matcher(line)).matches()) {
                if (title != null) sections.add(new Section(title, description.toString().strip(), params));
                title = m.group(1).strip();
                description = new StringBuilder();
                params = new ArrayList<>();
            } else if (line.strip().equals("## @descriptionStart")) {
                inDescription = true;
            } else if (line.strip().equals("## @descriptionEnd")) {
                inDescription = false;
            } else if (inDescription && (m = TEXT.matcher(line)).matches()) {
                description.append(m.group(1) == null ? "" : m.group(1).strip()).append(' ');
            } else if ((m = PARAM.matcher(line)).matches()) {
                if (title == null) throw new IllegalStateException("@param " + m.group(1) + " before the first @section");
                key = m.group(1);
                param = new StringBuilder(m.group(2).strip());
            }
        }
        if (title != null) sections.add(new Section(title, description.toString().strip(), params));
        return sections;
    }

    List<Param> params() {
        return sections.stream().flatMap(s -> s.params().stream()).toList();
    }

    /** The value at a dotted key; null when values.yaml has no such key. */
    JsonNode at(String key) {
        JsonNode n = values;
        for (String part : key.split("\\.")) {
            if (n == null || !n.isObject()) return null;
            n = n.get(part);
        }
        return n;
    }

    /** Dotted keys of every leaf: a scalar, a list, or an empty object (a map the site fills). */
    TreeSet<String> leaves() {
        TreeSet<String> out = new TreeSet<>();
        leaves("", values, out);
        return out;
    }

    private static void leaves(String prefix, JsonNode n, TreeSet<String> out) {
        if (!n.isObject() || n.isEmpty()) {
            out.add(prefix);
            return;
        }
        for (Map.Entry<String, JsonNode> e : n.properties()) leaves(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
    }

    /** The README's "Parameters" part: per section its description and a table of name, description, default. */
    String markdown() {
        StringBuilder md = new StringBuilder("## Parameters\n");
        List<String> documented = params().stream().map(Param::key).toList();
        for (Section s : sections) {
            md.append("\n### ").append(s.title()).append("\n\n");
            if (!s.description().isEmpty()) md.append(cell(s.description())).append("\n\n");
            md.append("| Name | Description | Value |\n| ---- | ----------- | ----- |\n");
            for (Param p : s.params()) {
                // An object whose keys have rows of their own is a heading row: its default is in those rows.
                boolean heading = documented.stream().anyMatch(k -> k.startsWith(p.key() + "."));
                md.append("| `").append(p.key()).append("` | ").append(cell(p.description())).append(" | ")
                        .append(heading ? "" : "`" + value(at(p.key())).replace("|", "\\|") + "`").append(" |\n");
            }
        }
        return md.toString();
    }

    private static String value(JsonNode n) {
        if (n == null) return "";
        if (n.isTextual()) return n.textValue().isEmpty() ? "\"\"" : n.textValue();
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text safe in a Markdown table cell: no pipes, no angle brackets read as HTML (<release>, <NAME>). */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }
}
