package dev.ich.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * values.schema.json is written by hand (its enums, minimums, patterns, anyOf and required lists are the
 * validation; docs/deploy.md, "Values and their schema"), so it is checked against values.yaml both ways: every
 * value has a schema property of its type, and every schema property is a value.
 */
class ValuesSchemaTest {
    /** Helm's values for subcharts: a parent chart may pass them, values.yaml never sets them. */
    static final Set<String> ONLY_IN_SCHEMA = Set.of("global");

    @Test
    void everyValueHasASchemaPropertyOfItsType() throws IOException {
        Set<String> problems = new TreeSet<>();
        valuesAgainstSchema("", ValuesDoc.chart().values(), schema(), problems);
        assertThat(problems).as("values.yaml against values.schema.json").isEmpty();
    }

    @Test
    void everySchemaPropertyIsAValue() throws IOException {
        Set<String> problems = new TreeSet<>();
        schemaAgainstValues("", schema(), ValuesDoc.chart().values(), problems);
        assertThat(problems).as("properties of values.schema.json that values.yaml does not have").isEmpty();
    }

    static JsonNode schema() throws IOException {
        return new ObjectMapper().readTree(Repo.chart().resolve("values.schema.json").toFile());
    }

    private static void valuesAgainstSchema(String path, JsonNode value, JsonNode schema, Set<String> problems) {
        Set<String> types = types(schema);
        String type = type(value);
        if (!types.contains(type) && !(type.equals("integer") && types.contains("number"))) {
            problems.add(name(path) + " is " + type + " in values.yaml, " + types + " in the schema");
            return;
        }
        if (value.isArray() && schema.has("items")) {
            for (JsonNode item : value) valuesAgainstSchema(path + "[]", item, schema.get("items"), problems);
        }
        if (!value.isObject()) return;
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (properties != null && properties.has(e.getKey())) {
                valuesAgainstSchema(child, e.getValue(), properties.get(e.getKey()), problems);
            } else if (additional != null && additional.isObject()) {
                valuesAgainstSchema(child, e.getValue(), additional, problems);
            } else if (properties != null || (additional != null && !additional.asBoolean())) {
                problems.add(child + " has no property in the schema");
            }
            // Else a free object (resources, selectors, security contexts): Kubernetes checks its keys.
        }
    }

    private static void schemaAgainstValues(String path, JsonNode schema, JsonNode value, Set<String> problems) {
        JsonNode properties = schema.get("properties");
        if (properties == null) return;
        for (Map.Entry<String, JsonNode> e : properties.properties()) {
            String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (value == null || !value.has(e.getKey())) {
                if (!ONLY_IN_SCHEMA.contains(child)) problems.add(child);
            } else {
                schemaAgainstValues(child, e.getValue(), value.get(e.getKey()), problems);
            }
        }
    }

    /** The JSON types a schema allows: its type, its anyOf branches' types, or its enum values'. */
    static Set<String> types(JsonNode schema) {
        Set<String> out = new HashSet<>();
        JsonNode t = schema.get("type");
        if (t != null) {
            if (t.isArray()) t.forEach(x -> out.add(x.asText()));
            else out.add(t.asText());
        } else if (schema.has("anyOf")) {
            schema.get("anyOf").forEach(branch -> out.addAll(types(branch)));
        } else if (schema.has("enum")) {
            schema.get("enum").forEach(x -> out.add(type(x)));
        }
        return out;
    }

    static String type(JsonNode n) {
        return switch (n.getNodeType()) {
            case STRING -> "string";
            case BOOLEAN -> "boolean";
            case NUMBER -> n.isIntegralNumber() ? "integer" : "number";
            case ARRAY -> "array";
            case OBJECT -> "object";
            case NULL -> "null";
            default -> throw new IllegalArgumentException(n.getNodeType() + " in values.yaml");
        };
    }

    private static String name(String path) {
        return path.isEmpty() ? "values.yaml" : path;
    }

    @Test
    void theCheckSeesAMismatch() throws IOException {
        // The walk above must be able to fail: a value of the wrong type and a property values.yaml lacks.
        JsonNode values = new ObjectMapper().readTree("{\"service\": {\"port\": \"eighty\"}}");
        Set<String> problems = new TreeSet<>();
        valuesAgainstSchema("", values, schema(), problems);
        assertThat(problems).containsExactly("service.port is string in values.yaml, [integer] in the schema");
        Set<String> missing = new TreeSet<>();
        schemaAgainstValues("", schema().get("properties").get("service"), values.get("service"), missing);
        assertThat(missing).containsExactlyInAnyOrderElementsOf(List.of("managementPort", "type"));
    }
}
