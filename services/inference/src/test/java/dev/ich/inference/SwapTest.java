package dev.ich.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.core.event.ModelPublished;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Given clients predicting without pause, when training promotes v2, then every request succeeds, each answer is
 * wholly v1's or wholly v2's (its probability is that version's), and no client sees v1 again after v2. Then
 * promotions that cannot be served go to the dead-letter topic with their reason while v2 keeps serving.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@Order(9)
class SwapTest {
    static final int CLIENTS = 6;

    @TestHTTPResource("/predict")
    URI predict;

    record Answer(int status, String version, float probability, String body) {
    }

    @Test
    void aSwapUnderLoadFailsNoRequestAndMixesNoVersions() throws Exception {
        PhantomModels models = Served.atLeastV1();
        assertThat(Served.version()).isEqualTo("v1");
        models.store("v2");
        SliceTruth slice = models.kept();
        float v1 = models.expected("v1", slice), v2 = models.expected("v2", slice);
        assertThat(Math.abs(v1 - v2)).as("the versions must answer differently for the test to see a mix").isGreaterThan(1e-3f);

        byte[] body = PhantomModels.bytes(slice);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicBoolean stop = new AtomicBoolean();
        List<List<Answer>> seen = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            List<Answer> mine = Collections.synchronizedList(new ArrayList<>());
            seen.add(mine);
            running.add(clients.submit(() -> {
                while (!stop.get()) mine.add(call(http, body));
                return null;
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> seen.stream().allMatch(l -> l.size() >= 3));
            PhantomModels.promote("v2");
            await().atMost(Duration.ofSeconds(90)).until(() -> seen.stream().allMatch(l -> l.stream().anyMatch(a -> "v2".equals(a.version()))));
            int[] sizes = seen.stream().mapToInt(List::size).toArray();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (int c = 0; c < CLIENTS; c++) if (seen.get(c).size() < sizes[c] + 3) return false;
                return true;
            });
        } finally {
            stop.set(true);
            for (Future<?> f : running) f.get();
            clients.shutdown();
        }

        int total = 0;
        for (List<Answer> answers : seen) {
            boolean afterV2 = false;
            for (Answer a : answers) {
                total++;
                assertThat(a.status()).as(a.body()).isEqualTo(200);
                assertThat(a.version()).isIn("v1", "v2");
                if (a.version().equals("v2")) afterV2 = true;
                else assertThat(afterV2).as("v1 answered after v2 on the same client").isFalse();
                assertThat(a.probability()).as(a.version()).isCloseTo(a.version().equals("v1") ? v1 : v2, within(1e-4f));
            }
        }
        assertThat(total).isGreaterThan(CLIENTS * 6);
        assertThat(seen.stream().flatMap(List::stream).map(Answer::version).distinct()).containsExactlyInAnyOrder("v1", "v2");
        Management.given().get("/q/metrics").then().body(containsString("ich_inference_model_version 2.0"));
        RestAssured.get("/v2/models/ich").then().body("versions[0]", equalTo("v2"));

        // Promotions that cannot be served: the reason travels to the dead-letter topic, v2 keeps serving.
        models.storeWithOtherPipelineHash("v3");
        try (TopicTap dlq = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.deadLetter(Topics.MODELS_PUBLISHED));
             TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            producer.send(Topics.MODELS_PUBLISHED, PhantomModels.NAME, "{this is not an event");
            producer.sendJson(Topics.MODELS_PUBLISHED, PhantomModels.NAME, event("v7"));
            producer.sendJson(Topics.MODELS_PUBLISHED, PhantomModels.NAME, event("v3"));
            List<ConsumerRecord<String, String>> dead = await().atMost(Duration.ofSeconds(60)).until(dlq::records, r -> r.size() >= 3);
            Map<String, String> reasons = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> r : dead) reasons.put(r.value(), TopicTap.header(r, "dead-letter-reason"));
            assertThat(reasons.get("{this is not an event")).contains("not a ModelPublished event");
            assertThat(reasons.entrySet().stream().filter(e -> e.getKey().contains("\"v7\"")).findFirst().orElseThrow().getValue())
                    .contains("no models/phantom-any/v7/model.json");
            assertThat(reasons.entrySet().stream().filter(e -> e.getKey().contains("\"v3\"")).findFirst().orElseThrow().getValue())
                    .contains("refusing to serve pixels other than the training ones");
        }
        Answer after = call(http, body);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.version()).isEqualTo("v2");
    }

    private static ModelPublished event(String version) throws Exception {
        return new ModelPublished(PhantomModels.NAME, version, ObjectKeys.model(PhantomModels.NAME, version), Map.of(), "phantom@v1",
                PhantomModels.preprocessing(), Instant.now());
    }

    private Answer call(HttpClient http, byte[] body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(predict).header("Content-Type", "application/dicom")
                    .header("Authorization", "Bearer " + OidcTestResource.token("ich-clinician"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return new Answer(r.statusCode(), null, Float.NaN, r.body());
            JsonNode json = Events.JSON.readTree(r.body());
            return new Answer(200, json.path("model").path("version").asText(), json.path("slice").path("probabilities").path("any").floatValue(),
                    null);
        } catch (Exception e) {
            return new Answer(-1, null, Float.NaN, e.toString());
        }
    }
}
