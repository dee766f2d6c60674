package dev.ich.cleaning.problem;

import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one error body of every ich service (runtime's ProblemMappers, ProblemResponses, ProblemRoutes), shown on
 * cleaning, the lightest service: each kind of refusal answers application/problem+json with exactly these fields.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class ProblemShapeTest {
    @TestHTTPResource("/")
    URL root;

    @Test
    void apiProblemIsTheWholeBody() {
        assertThat(body(given().get("/test-problems/api-problem"), 422)).isEqualTo(problem(422, "Unprocessable Content", "InvalidField",
                "threshold must be within 0..1, not 7", "/test-problems/api-problem", "pipeline.threshold"));
    }

    @Test
    void serviceRefusalsKeepTheirCode() {
        assertThat(body(given().get("/reprocess/no-such-run"), 404)).isEqualTo(problem(404, "Not Found", "NotFound",
                "no reprocess run no-such-run (POST /reprocess answers with the id of the run it starts)", "/reprocess/no-such-run"));
    }

    @Test
    void unknownPathSaysSo() {
        assertThat(body(given().get("/no/such/path"), 404)).isEqualTo(problem(404, "Not Found", "NotFound",
                "no such path: /no/such/path", "/no/such/path"));
    }

    @Test
    void wrongMethodNamesTheAllowedOnes() {
        Response r = given().delete("/reprocess");
        assertThat(body(r, 405)).isEqualTo(problem(405, "Method Not Allowed", "MethodNotAllowed",
                "DELETE is not allowed on /reprocess; allowed: POST", "/reprocess"));
        assertThat(r.header("Allow")).contains("POST");
    }

    @Test
    void wrongContentTypeNamesTheOneTaken() {
        assertThat(body(given().contentType("text/plain").body("hello").post("/test-problems/dicom"), 415)).isEqualTo(problem(415,
                "Unsupported Media Type", "UnsupportedMediaType", "this endpoint does not take text/plain; it takes application/dicom",
                "/test-problems/dicom"));
    }

    @Test
    void mistypedJsonNamesTheField() {
        Map<String, Object> b = body(given().contentType(ContentType.JSON).body("{\"sample\": \"many\"}").post("/pipelines/bins"), 400);
        assertThat(b).containsEntry("code", "InvalidJson").containsEntry("field", "sample")
                .containsEntry("type", "urn:ich:problem:InvalidJson").containsEntry("title", "Bad Request")
                .containsEntry("status", 400).containsEntry("instance", "/pipelines/bins");
        assertThat((String) b.get("detail")).startsWith("the request body is not valid JSON for this endpoint: ")
                .contains("\"many\"").contains("(line 1, column 12)");
        assertThat(b).containsOnlyKeys("type", "title", "status", "detail", "instance", "code", "field");
    }

    /** An ignored field of a request that starts work starts the wrong work (once: a full re-clean). */
    @Test
    void anUnknownFieldIsRefusedAndNamed() {
        assertThat(body(given().contentType(ContentType.JSON).body("{\"pipelin\": {\"size\": 128}}").post("/reprocess"), 400))
                .isEqualTo(problem(400, "Bad Request", "InvalidJson", "the request body is not valid JSON for this endpoint: unknown field"
                        + " \"pipelin\"; the fields here are pipeline (line 1, column 27)", "/reprocess", "pipelin"));
        assertThat(body(given().contentType(ContentType.JSON).body("{\"pipeline\": {\"size\": 128, \"treshold\": 0.1}}")
                .post("/reprocess"), 400)).containsEntry("field", "pipeline.treshold");
    }

    @Test
    void anEmptyBodyIsNotTheDefaults() {
        assertThat(body(given().contentType(ContentType.JSON).post("/reprocess"), 400)).isEqualTo(problem(400, "Bad Request", "EmptyBody",
                "the request has no body; this endpoint takes a JSON object with the fields pipeline (send {} for the defaults)", "/reprocess"));
        assertThat(body(given().contentType(ContentType.JSON).body("null").post("/pipelines/bins"), 400)).containsEntry("code", "EmptyBody");
    }

    @Test
    void aValueOfTheWrongJsonTypeIsNotCoerced() {
        for (String body : new String[] {"{\"sample\": \"12\"}", "{\"sample\": 12.5}", "{\"stratified\": \"yes\"}", "{\"sample\": 1, \"sample\": 2}"}) {
            assertThat(body(given().contentType(ContentType.JSON).body(body).post("/pipelines/bins"), 400))
                    .as(body).containsEntry("code", "InvalidJson");
        }
    }

    /** JAX-RS answers a query value that does not convert with a 404 blaming the path; ich names the parameter. */
    @Test
    void aQueryValueThatDoesNotConvertNamesItsParameter() {
        assertThat(body(given().get("/test-problems/typed-query?min_pct=abc"), 400)).isEqualTo(problem(400, "Bad Request", "InvalidParameter",
                "query parameter min_pct must be a number, not \"abc\"", "/test-problems/typed-query", "min_pct"));
        assertThat(body(given().get("/test-problems/typed-query?flagged=yes"), 400))
                .containsEntry("detail", "query parameter flagged must be true or false, not \"yes\"").containsEntry("field", "flagged");
        assertThat(body(given().get("/test-problems/typed-query?limit=1e3"), 400))
                .containsEntry("detail", "query parameter limit must be a whole number, not \"1e3\"");
        assertThat(given().get("/test-problems/typed-query?min_pct=0.5&flagged=TRUE&limit=7").asString()).isEqualTo("0.5 true 7");
        assertThat(given().get("/test-problems/typed-query?flagged=1").asString()).isEqualTo("null true 50");
    }

    @Test
    void aBodyWithoutContentTypeIsRefusedWhereTheTypeMatters() throws IOException {
        // RestAssured always sends a Content-Type with a body: a raw request sends none
        assertThat(raw("POST /test-problems/dicom HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + OidcTestResource.token("ich-admin")
                + "\r\nContent-Length: 5\r\n\r\nhello")).startsWith("HTTP/1.1 415")
                .contains("\"detail\":\"the request body has no Content-Type; this endpoint takes application/dicom\"");
    }

    @Test
    void anUnparseableContentTypeIsAProblemToo() throws IOException {
        String answer = raw("POST /reprocess HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + OidcTestResource.token("ich-admin")
                + "\r\nContent-Type: ;;;==\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(answer).matches("(?s)HTTP/1.1 4(00|15) .*").containsIgnoringCase("content-type: application/problem+json")
                .contains("\"detail\":\"");
    }

    @Test
    void brokenJsonSaysWhere() {
        Map<String, Object> b = body(given().contentType(ContentType.JSON).body("{\"sample\": 12,\n \"seed\" 3}").post("/pipelines/bins"), 400);
        assertThat(b).containsEntry("code", "InvalidJson").containsEntry("instance", "/pipelines/bins");
        assertThat((String) b.get("detail")).contains("(line 2, column");
    }

    @Test
    void internalErrorLeaksNothing() {
        Response r = given().get("/test-problems/internal");
        Map<String, Object> b = body(r, 500);
        assertThat(b).containsOnlyKeys("type", "title", "status", "detail", "instance", "code")
                .containsEntry("code", "Internal").containsEntry("title", "Internal Server Error")
                .containsEntry("instance", "/test-problems/internal");
        assertThat((String) b.get("detail")).matches("the service failed to answer; quote error id [0-9a-f-]{36} to its operators");
        assertThat(r.asString()).doesNotContain(ProbeResource.SECRET).doesNotContain("minio")
                .doesNotContain("IllegalStateException").doesNotContain("at dev.ich");
    }

    @Test
    void bareStatusGetsABody() {
        assertThat(body(given().get("/test-problems/bare"), 409)).isEqualTo(problem(409, "Conflict", "Conflict",
                "Conflict: GET /test-problems/bare gave no reason", "/test-problems/bare"));
    }

    /**
     * Quarkus refuses a body over quarkus.http.limits.max-body-size before any resource runs. A raw request that
     * only announces a large body shows it without sending one (the server closes the connection unread).
     */
    @Test
    void bodyOverTheLimitIsAProblemToo() throws IOException {
        String answer = raw("POST /pipelines/bins HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 999999999\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/problem+json")
                .contains("\"code\":\"TooLarge\"").contains("\"instance\":\"/pipelines/bins\"")
                .contains("the request body of 999999999 bytes exceeds this service's limit of");
    }

    /** A failure in a plain Vert.x route (no Quarkus REST mapper sees it) reaches the router's failure handler. */
    @Test
    void failingVertxRouteLeaksNothingEither() {
        Map<String, Object> b = body(given().get("/test-problems/vertx-route"), 500);
        assertThat(b).containsOnlyKeys("type", "title", "status", "detail", "instance", "code")
                .containsEntry("code", "Internal").containsEntry("instance", "/test-problems/vertx-route");
        assertThat((String) b.get("detail")).matches("the service failed to answer; quote error id [0-9a-f-]{36} to its operators");
        assertThat(given().get("/test-problems/vertx-route").asString()).doesNotContain(ProbeResource.SECRET);
    }

    private String raw(String request) throws IOException {
        try (Socket s = new Socket(root.getHost(), root.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The answer's own length, not the end of the stream: whether the server closes at once is not the point.
            InputStream in = s.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            int headerEnd = -1;
            long length = -1;
            for (int b; (headerEnd < 0 || read.size() < headerEnd + length) && (b = in.read()) >= 0; ) {
                read.write(b);
                String sofar = read.toString(StandardCharsets.US_ASCII);
                if (headerEnd < 0 && sofar.endsWith("\r\n\r\n")) {
                    headerEnd = sofar.length();
                    Matcher m = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(sofar);
                    length = m.find() ? Long.parseLong(m.group(1)) : 0;
                }
            }
            return read.toString(StandardCharsets.UTF_8);
        }
    }

    /** The problem document ich answers: type {@code urn:ich:problem:CODE}, the status repeated, the code. */
    private static Map<String, Object> problem(int status, String title, String code, String detail, String instance) {
        return Map.of("type", "urn:ich:problem:" + code, "title", title, "status", status, "detail", detail, "instance", instance,
                "code", code);
    }

    /** The same, naming the field or parameter that is wrong. */
    private static Map<String, Object> problem(int status, String title, String code, String detail, String instance, String field) {
        Map<String, Object> problem = new HashMap<>(problem(status, title, code, detail, instance));
        problem.put("field", field);
        return problem;
    }

    private static Map<String, Object> body(Response r, int status) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        return r.jsonPath().getMap("");
    }
}
