package dev.ich.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's audit trail as `./ich audit --no-follow --json` prints it, after two calls the stack must refuse: one
 * without a token, one with an ich-reader token to an operation only curators may call.
 */
final class AuditTrail {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The demo's state-changing actions, as the services name their operations. */
    static final List<String> DEMO_ACTIONS = List.of("POST /studies", "POST /imports", "POST /labels", "POST /datasets",
            "POST /experiments/metadata-baseline", "POST /jobs", "POST /models/{name}/versions/{version}/promote", "POST /predict/study");

    private final List<JsonNode> records;
    private final int anonymousStatus;
    private final int readerStatus;

    private AuditTrail(List<JsonNode> records, int anonymousStatus, int readerStatus) {
        this.records = records;
        this.anonymousStatus = anonymousStatus;
        this.readerStatus = readerStatus;
    }

    static AuditTrail refuseTwoCallsThenRead(Path stackEnv, Function<String, String> token, Supplier<String> auditJson)
            throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(stackEnv)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        URI datasets = URI.create(env.get("LABELING_URL") + "/datasets");
        HttpClient http = HttpClient.newHttpClient();
        int anonymous = http.send(HttpRequest.newBuilder(datasets).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        int reader = http.send(HttpRequest.newBuilder(datasets).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token.apply("ich-reader").trim())
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        List<JsonNode> records = new ArrayList<>();
        for (String line : auditJson.get().split("\n")) if (line.startsWith("{")) records.add(JSON.readTree(line));
        return new AuditTrail(records, anonymous, reader);
    }

    void assertEveryDemoActionAndEachRefusalIsRecorded() {
        assertThat(anonymousStatus).isEqualTo(401);
        assertThat(readerStatus).isEqualTo(403);
        for (String action : DEMO_ACTIONS) {
            List<JsonNode> done = records.stream().filter(r -> r.path("action").asText().equals(action)
                    && r.path("agent").path("subject").asText().equals("local-demo")).toList();
            assertThat(done).as("audit records of the demo's %s (all records: %d)", action, records.size()).isNotEmpty();
            assertThat(done).allSatisfy(r -> {
                assertThat(r.path("agent").path("address").asText()).isEqualTo("127.0.0.1");
                assertThat(r.path("agent").path("roles").toString()).contains("ich-");
                assertThat(r.path("service").asText()).startsWith("ich-");
            });
        }
        // The DICOM door writes to the same trail: the demo's C-STORE association, its calling AE title as the agent.
        assertThat(records).as("the demo's C-STORE instances").filteredOn(r -> r.path("action").asText().equals("C-STORE"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.path("agent").path("subject").asText()).isEqualTo("AE:ICH-DEMO"));
        assertThat(records).as("the anonymous refusal").anySatisfy(r -> {
            assertThat(r.path("action").asText()).isEqualTo("POST /datasets");
            assertThat(r.path("outcome").path("status").asInt()).isEqualTo(401);
            assertThat(r.path("outcome").path("result").asText()).isEqualTo("refused");
            assertThat(r.path("agent").path("subject").isNull() || r.path("agent").path("subject").isMissingNode()).isTrue();
        });
        assertThat(records).as("the reader's refusal").anySatisfy(r -> {
            assertThat(r.path("action").asText()).isEqualTo("POST /datasets");
            assertThat(r.path("outcome").path("status").asInt()).isEqualTo(403);
            assertThat(r.path("agent").path("subject").asText()).isEqualTo("local-reader");
        });
    }

    int size() {
        return records.size();
    }
}
