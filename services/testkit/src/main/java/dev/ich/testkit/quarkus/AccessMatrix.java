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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may call what, checked against a service's own OpenAPI document: every operation it serves must be listed with
 * its roles (so a new endpoint cannot slip through unclassified), and each is tried anonymous (401 with
 * {@code WWW-Authenticate: Bearer}), with a token that does not verify (401, invalid_token), with a token for another
 * audience (401), with a token lacking its roles (403 naming them), and with each role that should pass (neither).
 * Requests carry nothing a handler could act on: unknown ids, and for JSON bodies a malformed document, so trying
 * the matrix changes no state.
 */
public final class AccessMatrix {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AccessMatrix() {
    }

    /** One operation's outcome per caller, for the test's failure message. */
    public record Finding(String operation, String caller, int status, String problem) {
    }

    /**
     * Tries every operation of the document at {@code openapi} against {@code base}; returns what went wrong (empty:
     * all as expected). {@code allowed} maps {@code "METHOD /path/{param}"} to the roles that may call it (ich-admin
     * is implied and need not be listed).
     */
    public static List<Finding> check(URI openapi, URI base, Map<String, Set<String>> allowed) throws IOException, InterruptedException {
        JsonNode doc = JSON.readTree(send(HttpRequest.newBuilder(openapi).header("Accept", "application/json").GET()).body());
        List<Finding> wrong = new ArrayList<>();
        Set<String> served = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) continue;
                String operation = op.getKey().toUpperCase() + " " + path.getKey();
                served.add(operation);
                Set<String> roles = allowed.get(operation);
                if (roles == null) {
                    wrong.add(new Finding(operation, "-", 0, "served but not in the access table: give it its roles"));
                    continue;
                }
                wrong.addAll(tryOperation(base, operation, op.getKey().toUpperCase(), path.getKey(), op.getValue(), roles));
            }
        }
        for (String listed : allowed.keySet()) {
            if (!served.contains(listed)) wrong.add(new Finding(listed, "-", 0, "in the access table but not in the OpenAPI document"));
        }
        return wrong;
    }

    private static List<Finding> tryOperation(URI base, String operation, String method, String template, JsonNode op, Set<String> roles)
            throws IOException, InterruptedException {
        List<Finding> wrong = new ArrayList<>();
        URI uri = base.resolve(fill(template).substring(1));
        String contentType = contentType(op);
        expectUnauthenticated(wrong, operation, "anonymous", request(uri, method, contentType, null), false);
        expectUnauthenticated(wrong, operation, "a forged token", request(uri, method, contentType, "eyJhbGciOiJub25lIn0.e30.forged"), true);
        expectUnauthenticated(wrong, operation, "a token for another audience",
                request(uri, method, contentType, OidcTestResource.token("ich-other-audience")), true);

        String outsider = Roles.ALL.stream().filter(r -> !roles.contains(r) && !r.equals(Roles.ADMIN)).findFirst().orElse("no-role-at-all");
        HttpResponse<String> refused = send(request(uri, method, contentType, OidcTestResource.token(outsider)));
        if (refused.statusCode() != 403) {
            wrong.add(new Finding(operation, outsider, refused.statusCode(), "expected 403: " + refused.body()));
        } else {
            JsonNode problem = JSON.readTree(refused.body());
            Set<String> named = new TreeSet<>();
            problem.path("roles").forEach(r -> named.add(r.asText()));
            if (!named.equals(new TreeSet<>(roles)) || !refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                wrong.add(new Finding(operation, outsider, 403, "the 403 problem should name exactly " + roles + ": " + refused.body()));
            }
        }
        List<String> passing = new ArrayList<>(roles);
        passing.add(Roles.ADMIN);
        for (String role : passing) {
            HttpResponse<String> r = send(request(uri, method, contentType, OidcTestResource.token(role)));
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                wrong.add(new Finding(operation, role, r.statusCode(), "this role should pass the check: " + r.body()));
            }
        }
        return wrong;
    }

    private static void expectUnauthenticated(List<Finding> wrong, String operation, String caller, HttpRequest.Builder request,
                                              boolean tokenSent) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request);
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        boolean ok = r.statusCode() == 401 && challenge.startsWith("Bearer")
                && (!tokenSent || challenge.contains("invalid_token"))
                && r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
        if (!ok) wrong.add(new Finding(operation, caller, r.statusCode(), "expected 401 with a Bearer challenge and a problem body; "
                + "WWW-Authenticate: '" + challenge + "', body: " + r.body()));
    }

    /** Path parameters that name nothing: a UID-shaped id for strings, a large number for numbers. */
    static String fill(String template) {
        Matcher m = PARAM.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).toLowerCase();
            m.appendReplacement(out, name.contains("version") && !name.equals("versions") ? "999999" : "1.2.826.0.1.999");
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String contentType(JsonNode op) {
        Iterator<String> types = op.path("requestBody").path("content").fieldNames();
        return types.hasNext() ? types.next() : null;
    }

    private static HttpRequest.Builder request(URI uri, String method, String contentType, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", "Bearer " + token);
        // A malformed JSON document never reaches a handler; other bodies are empty, which every ich handler refuses.
        String body = contentType != null && contentType.contains("json") ? "{\"ich-access-probe\": " : "";
        if (contentType != null && !contentType.contains("*")) b.header("Content-Type", contentType.equals("multipart/related")
                ? "multipart/related; type=\"application/dicom\"; boundary=probe" : contentType);
        return b.method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
