package dev.ich.testkit.quarkus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ich.core.contract.Roles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The bad requests every ich service must refuse with one problem+json body (docs/errors.md), tried against every
 * operation of a service's own OpenAPI document with a real {@code ich-admin} token, so they are refused by the
 * service and not by authentication: an unknown path, a method the path does not serve, a query value of the wrong
 * type, a Content-Type the operation does not take and one that does not parse, an Accept it cannot answer, and for
 * JSON bodies an unknown field, a field of the wrong type, a body of the wrong shape, malformed JSON and no body.
 * Every answer must be a 4xx (a client's mistake is never a 5xx) with {@code application/problem+json}, a non-empty
 * {@code title} and {@code detail} and the status repeated; the probes that know what is wrong also check that the
 * answer names it (the field, the parameter). Every probe is refused before any handler acts, so a sweep changes
 * no state; a probe that is answered 2xx is a finding.
 */
public final class RefusalSweep {
    static final String UNKNOWN_FIELD = "ichProbeUnknownField";
    static final String WRONG_TYPE = "ich-probe-not-a-number";
    /** Statuses of a probe that need not be refused: any answer is fine, as long as a refusal is a problem. */
    private static final Set<Integer> TOLERATED = java.util.Collections.unmodifiableSet(new java.util.HashSet<>());
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");
    private static final List<String> UNSERVED_ORDER = List.of("PATCH", "PUT", "DELETE", "POST", "GET");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RefusalSweep() {
    }

    /** One probe's answer that is not the refusal it should be. */
    public record Finding(String probe, String request, int status, String contentType, String body) {
        @Override
        public String toString() {
            return probe + ": " + request + " -> " + status + " " + contentType + " " + body;
        }
    }

    /**
     * A path prefix whose refusals a protocol shapes rather than ich (the Open Inference Protocol's {@code /v2/...}
     * answers {@code {"error": "..."}}): there a JSON body with a non-empty {@code field} counts as a reason too.
     */
    public record ProtocolShape(String pathPrefix, String field) {
    }

    /** Tries every probe on every operation of the document at {@code openapi}; returns what was not refused right. */
    public static List<Finding> check(URI openapi, URI base, List<ProtocolShape> protocols) throws IOException, InterruptedException {
        String token = OidcTestResource.token(Roles.ADMIN);
        JsonNode doc = JSON.readTree(HTTP.send(HttpRequest.newBuilder(openapi).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        Sweep sweep = new Sweep(base, token, protocols, doc.path("components").path("schemas"));
        sweep.probe("unknown path", "GET", "/ich-probe/no/such/path", null, null, null, Set.of(404), null);
        // Health, metrics and OpenAPI have their own port and router: a wrong path there is answered the same way.
        Sweep management = new Sweep(openapi.resolve("/"), token, protocols, doc);
        management.probe("unknown management path", "GET", "/q/ich-probe-no-such-path", null, null, null, Set.of(404), null);
        sweep.findings.addAll(management.findings);
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            String filled = AccessMatrix.fill(path.getKey());
            Set<String> served = new TreeSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) continue;
                served.add(op.getKey().toUpperCase());
                sweep.operation(op.getKey().toUpperCase(), filled, op.getValue(), path.getValue().path("parameters"));
            }
            UNSERVED_ORDER.stream().filter(m -> !served.contains(m)).findFirst().ifPresent(m ->
                    sweep.probe("wrong method", m, filled, null, null, null, Set.of(405), null));
            // 400 too: the extra segment may land in a path parameter that refuses it (a UID that is not one).
            sweep.probe("unknown sub-path", "GET", filled + "/ich-probe-no-such-part", null, null, null, Set.of(400, 404, 405), null);
        }
        return sweep.findings;
    }

    private static final class Sweep {
        final URI base;
        final String token;
        final List<ProtocolShape> protocols;
        final JsonNode schemas;
        final List<Finding> findings = new ArrayList<>();

        Sweep(URI base, String token, List<ProtocolShape> protocols, JsonNode schemas) {
            this.base = base;
            this.token = token;
            this.protocols = protocols;
            this.schemas = schemas;
        }

        void operation(String method, String path, JsonNode op, JsonNode pathParameters) {
            JsonNode body = op.path("requestBody");
            List<String> types = new ArrayList<>();
            body.path("content").fieldNames().forEachRemaining(types::add);
            String sample = types.isEmpty() ? null : types.get(0).contains("*") ? "application/json" : types.get(0);
            // A body no operation could take: the probes that are not about the body still send one, so they are refused
            // for their own reason even where an empty body would be refused first.
            String junk = sample == null ? null : sample.contains("json") ? "{\"ich-probe\": " : "ich-probe";

            List<JsonNode> parameters = new ArrayList<>();
            pathParameters.forEach(parameters::add);
            op.path("parameters").forEach(parameters::add);
            for (JsonNode p : parameters) {
                if (!"query".equals(p.path("in").asText())) continue;
                String wrong = wrongValue(resolve(p.path("schema")));
                if (wrong == null) continue;
                String name = p.path("name").asText();
                probe("query value of the wrong type", method, path + "?" + name + "=" + wrong, sample, junk, null, Set.of(400), name);
            }
            // Only an operation that says what it answers can refuse an Accept; one that may answer anything takes any.
            Set<String> answers = new TreeSet<>();
            op.path("responses").forEach(response -> response.path("content").fieldNames().forEachRemaining(answers::add));
            if (!answers.isEmpty() && answers.stream().noneMatch(t -> t.contains("*"))) {
                // Any refusal with a reason: a request for something that does not exist may be refused for that first.
                probe("unacceptable Accept", method, path, sample, junk, "application/x-ich-probe", null, null);
            }
            // An unparseable Accept may be taken as none; when it is refused, then with a problem.
            probe("garbage Accept", method, path, sample, junk, ";;;==", TOLERATED, null);
            if (types.isEmpty()) return;
            probe("garbage Content-Type", method, path, ";;;==", "ich-probe", null, Set.of(400, 415), null);
            if (!types.contains("*/*")) {
                probe("wrong Content-Type", method, path, "application/x-ich-probe", "ich-probe", null, Set.of(415), null);
                if (!types.contains("application/json")) {
                    probe("JSON where the operation takes another type", method, path, "application/json", "{}", null, Set.of(415), null);
                }
            }
            probe("a body without Content-Type", method, path, null, "ich-probe", null, null, null);
            if (!types.contains("application/json")) return;
            probe("unknown JSON field", method, path, "application/json", "{\"" + UNKNOWN_FIELD + "\": 1}", null, Set.of(400), UNKNOWN_FIELD);
            probe("malformed JSON", method, path, "application/json", "{\"ich-probe\": ", null, Set.of(400), null);
            probe("no body", method, path, "application/json", "", null, Set.of(400), null);
            probe("trailing garbage after the JSON", method, path, "application/json", "{} ich-probe", null, Set.of(400), null);
            JsonNode schema = resolve(body.path("content").path("application/json").path("schema"));
            String shape = schema.path("type").asText();
            if (shape.equals("object") || schema.has("properties")) {
                probe("a JSON array where an object belongs", method, path, "application/json", "[\"ich-probe\"]", null, Set.of(400), null);
            }
            for (Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields(); props.hasNext(); ) {
                Map.Entry<String, JsonNode> prop = props.next();
                String wrong = wrongJson(resolve(prop.getValue()));
                if (wrong == null) continue;
                probe("JSON field of the wrong type", method, path, "application/json", "{\"" + prop.getKey() + "\": " + wrong + "}",
                        null, Set.of(400), prop.getKey());
            }
        }

        /**
         * Sends one probe, which must be refused with a problem: with one of the {@code expected} statuses (null: any
         * 4xx), and {@code names}, when set, in the problem's {@code field} or {@code detail}.
         */
        void probe(String what, String method, String path, String contentType, String body, String accept, Set<Integer> expected,
                   String names) {
            String request = method + " " + path + (contentType == null ? "" : " [Content-Type: " + contentType + "]")
                    + (accept == null ? "" : " [Accept: " + accept + "]") + (body == null ? "" : " " + body);
            HttpResponse<String> r;
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.substring(1))).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token);
                if (contentType != null) b.header("Content-Type", contentType);
                if (accept != null) b.header("Accept", accept);
                b.method(method, body == null || body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
                r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException | InterruptedException | IllegalArgumentException e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                findings.add(new Finding(what, request, 0, "", "no answer: " + e));
                return;
            }
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (expected == TOLERATED && r.statusCode() < 400) return;
            String problem = problemOf(r, type, path);
            if (problem != null) {
                findings.add(new Finding(what, request, r.statusCode(), type, problem + ": " + r.body()));
            } else if (expected != null && expected != TOLERATED && !expected.contains(r.statusCode())) {
                findings.add(new Finding(what, request, r.statusCode(), type, "expected " + expected + ": " + r.body()));
            } else if (names != null && !r.body().contains(names)) {
                findings.add(new Finding(what, request, r.statusCode(), type, "the refusal should name " + names + ": " + r.body()));
            }
        }

        /** What is wrong with the answer as a refusal, or null when it is one. */
        private String problemOf(HttpResponse<String> r, String type, String path) {
            int status = r.statusCode();
            if (status < 400) return "not refused";
            if (status >= 500) return "a client's mistake answered as a server error";
            JsonNode json;
            try {
                json = JSON.readTree(r.body());
            } catch (IOException e) {
                json = null;
            }
            for (ProtocolShape p : protocols) {
                if (path.startsWith(p.pathPrefix()) && type.startsWith("application/json") && json != null
                        && !json.path(p.field()).asText().isBlank()) {
                    return null;
                }
            }
            if (!type.startsWith("application/problem+json")) return "not application/problem+json";
            if (json == null || !json.isObject()) return "the body is not a problem document";
            if (json.path("title").asText().isBlank() || json.path("detail").asText().isBlank()) return "no title or detail";
            if (json.path("status").asInt() != status) return "the body's status is not the answer's";
            return null;
        }

        private JsonNode resolve(JsonNode schema) {
            String ref = schema.path("$ref").asText();
            if (ref.startsWith("#/components/schemas/")) return schemas.path(ref.substring("#/components/schemas/".length()));
            if (schema.has("allOf") && schema.path("allOf").size() == 1) return resolve(schema.path("allOf").get(0));
            return schema;
        }

        /** A query value the schema's type cannot hold, or null for a free string. */
        private static String wrongValue(JsonNode schema) {
            return switch (schema.path("type").asText()) {
                case "integer", "number" -> WRONG_TYPE;
                case "boolean" -> "ich-probe-not-a-boolean";
                default -> schema.has("enum") ? "ich-probe-not-listed" : null;
            };
        }

        /** A JSON value the property's type cannot hold. */
        private static String wrongJson(JsonNode schema) {
            return switch (schema.path("type").asText()) {
                case "integer", "number" -> "\"" + WRONG_TYPE + "\"";
                case "boolean" -> "\"ich-probe-not-a-boolean\"";
                case "string" -> "{\"ich-probe\": 1}";
                case "array" -> "{\"ich-probe\": 1}";
                case "object" -> "[\"ich-probe\"]";
                default -> null;
            };
        }
    }

    /** The findings by probe, for a failure message a person can read. */
    public static Map<String, List<String>> byProbe(List<Finding> findings) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Finding f : findings) out.computeIfAbsent(f.probe(), k -> new ArrayList<>()).add(f.toString());
        return out;
    }
}
