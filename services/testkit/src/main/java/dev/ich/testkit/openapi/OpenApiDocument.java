package dev.ich.testkit.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A service's OpenAPI document (3.1, the JSON form Quarkus serves at {@code /q/openapi?format=json}) as a judge of real
 * answers: which operation a request was, and whether its answer is one the document declares (the status, the
 * media type for that status, the body against that media type's schema). JSON bodies are validated with the
 * document's own schemas ($refs into {@code components} resolve), by networknt's JSON Schema 2020-12 validator.
 */
public final class OpenApiDocument {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final JsonNode document;

    private OpenApiDocument(JsonNode document) {
        this.document = document;
    }

    public static OpenApiDocument parse(String json) {
        try {
            JsonNode doc = JSON.readTree(json);
            if (!doc.path("openapi").asText().startsWith("3.")) throw new IllegalArgumentException("not an OpenAPI 3 document: " + json);
            return new OpenApiDocument(doc);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /** Every operation the document declares, as {@code "GET /studies/{study}"}. */
    public Set<String> operations() {
        Set<String> all = new java.util.TreeSet<>();
        forEachOperation((name, op) -> all.add(name));
        return all;
    }

    /**
     * The operation {@code method path} is, as {@code "GET /studies/{study}"}: the template whose segments match, a
     * literal segment winning over a parameter (so {@code /studies/{study}/metadata} is not {@code /studies/{study}/series}).
     */
    public Optional<String> operation(String method, String path) {
        String[] segments = segments(path);
        String best = null;
        int bestLiterals = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = document.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().has(method.toLowerCase(Locale.ROOT))) continue;
            String[] template = segments(entry.getKey());
            if (template.length != segments.length) continue;
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                if (template[i].startsWith("{") && template[i].endsWith("}")) continue;
                matches = template[i].equals(segments[i]);
                literals++;
            }
            if (matches && literals > bestLiterals) {
                best = entry.getKey();
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best).map(t -> method.toUpperCase(Locale.ROOT) + " " + t);
    }

    /**
     * What in this answer the document does not declare; empty when it conforms. {@code contentType} may be null (no
     * body), {@code body} is the answer's text.
     */
    public List<String> violations(String method, String path, int status, String contentType, String body) {
        List<String> wrong = new ArrayList<>();
        Optional<String> name = operation(method, path);
        if (name.isEmpty()) {
            wrong.add(method + " " + path + " is no operation of the document");
            return wrong;
        }
        String template = name.get().substring(name.get().indexOf(' ') + 1);
        JsonNode responses = document.path("paths").path(template).path(method.toLowerCase(Locale.ROOT)).path("responses");
        JsonNode response = responses.has(String.valueOf(status)) ? responses.get(String.valueOf(status)) : responses.get("default");
        String where = name.get() + " answered " + status;
        if (response == null) {
            wrong.add(where + ", which it does not declare (declared: " + fieldNames(responses) + ")");
            return wrong;
        }
        JsonNode content = response.path("content");
        boolean hasBody = body != null && !body.isEmpty();
        if (!hasBody) return wrong;
        if (content.isMissingNode() || content.isEmpty()) {
            wrong.add(where + " with a " + contentType + " body, but declares no body for it");
            return wrong;
        }
        Optional<Map.Entry<String, JsonNode>> declared = mediaType(content, contentType);
        if (declared.isEmpty()) {
            wrong.add(where + " as " + contentType + ", but declares only " + fieldNames(content));
            return wrong;
        }
        JsonNode schema = declared.get().getValue().path("schema");
        if (!schema.isMissingNode() && isJson(contentType)) {
            JsonNode parsed;
            try {
                parsed = JSON.readTree(body);
            } catch (IOException e) {
                wrong.add(where + " as " + contentType + ", but the body is not JSON: " + e.getMessage());
                return wrong;
            }
            for (ValidationMessage m : validator(schema).validate(parsed)) {
                wrong.add(where + " with a body that does not match its schema: " + m.getMessage());
            }
        }
        return wrong;
    }

    /** The declared media type the answer's type is: same type/subtype, and the same {@code type} parameter where one is declared. */
    private static Optional<Map.Entry<String, JsonNode>> mediaType(JsonNode content, String actual) {
        if (actual == null) return Optional.empty();
        MediaType got = MediaType.of(actual);
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (MediaType.of(e.getKey()).admits(got)) return Optional.of(e);
        }
        return Optional.empty();
    }

    private JsonSchema validator(JsonNode schema) {
        // The schema alone, with the document's components beside it, so "#/components/schemas/X" resolves as in the document.
        ObjectNode root = JSON.createObjectNode();
        root.setAll((ObjectNode) (schema.isObject() ? schema : JSON.createObjectNode()));
        root.set("components", document.path("components"));
        return SCHEMAS.getSchema(root);
    }

    private static boolean isJson(String contentType) {
        String base = MediaType.of(contentType).essence();
        return base.endsWith("/json") || base.endsWith("+json");
    }

    private void forEachOperation(java.util.function.BiConsumer<String, JsonNode> each) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) each.accept(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
            }
        }
    }

    private static String[] segments(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.stream().collect(Collectors.joining(", ", "[", "]"));
    }
}
