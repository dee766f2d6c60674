package dev.ich.cleaning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.AuditRecord;
import dev.ich.core.event.CloudEvents;
import dev.ich.core.event.Events;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A state-changing call, whatever its outcome, and a refused call each leave one record on the audit topic with who,
 * what, from where and the status; a plain read leaves none.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class AuditTrailTest {
    @Test
    void aCuratorsCallAndARefusedOneAreAuditedAReadIsNot() throws Exception {
        Instant since = Instant.now();
        String unknown = "1.2.826.0.1." + System.nanoTime();
        try (dev.ich.testkit.TopicTap audit = new dev.ich.testkit.TopicTap(KafkaTestResource.bootstrapServers(), Topics.AUDIT)) {
            given().header("Authorization", "Bearer " + OidcTestResource.token("ich-curator")).contentType("application/json")
                    .body("{\"sample\": ").post("/pipelines/bins").then().statusCode(400);
            given().header("Authorization", "Bearer not-a-token").get("/reprocess/" + unknown).then().statusCode(401);
            given().header("Authorization", "Bearer " + OidcTestResource.token("ich-reader")).get("/reprocess/" + unknown + ".9")
                    .then().statusCode(404);

            await().atMost(Duration.ofSeconds(30)).until(() -> mine(audit, since).size() >= 2);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> mine(audit, since).size() == 2);
            // Two callers, two keys, maybe two partitions: found by what they did, not by their order.
            List<ConsumerRecord<String, String>> records = mine(audit, since);
            ConsumerRecord<String, String> curatorRecord = records.stream().filter(r -> r.value().contains("\"POST /pipelines/bins\""))
                    .findFirst().orElseThrow();
            ConsumerRecord<String, String> refusedRecord = records.stream().filter(r -> r.value().contains("/reprocess/" + unknown + "\""))
                    .findFirst().orElseThrow();

            JsonNode curator = Events.JSON.readTree(curatorRecord.value());
            assertThat(curator.path("service").asText()).isEqualTo("ich-cleaning");
            assertThat(curator.path("action").asText()).isEqualTo("POST /pipelines/bins");
            assertThat(curator.path("fhirAction").asText()).isEqualTo("C");
            assertThat(curator.path("agent").path("subject").asText()).isEqualTo("local-curator");
            assertThat(curator.path("agent").path("client").asText()).isEqualTo("ich-curator");
            assertThat(curator.path("agent").path("roles")).extracting(JsonNode::asText).contains("ich-curator");
            assertThat(curator.path("agent").path("address").asText()).isEqualTo("127.0.0.1");
            assertThat(curator.path("outcome").path("status").asInt()).isEqualTo(400);
            assertThat(curator.path("outcome").path("result").asText()).isEqualTo("failed");
            assertThat(curatorRecord.key()).isEqualTo("local-curator");
            assertThat(dev.ich.testkit.TopicTap.header(curatorRecord, CloudEvents.TYPE)).isEqualTo(AuditRecord.TYPE);

            JsonNode refused = Events.JSON.readTree(refusedRecord.value());
            assertThat(refused.path("action").asText()).isEqualTo("GET /reprocess/{id}");
            assertThat(refused.path("path").asText()).isEqualTo("/reprocess/" + unknown);
            assertThat(refused.path("entities").path("id")).extracting(JsonNode::asText).containsExactly(unknown);
            assertThat(refused.path("outcome").path("status").asInt()).isEqualTo(401);
            assertThat(refused.path("outcome").path("result").asText()).isEqualTo("refused");
            assertThat(refused.path("agent").path("subject").isMissingNode() || refused.path("agent").path("subject").isNull()).isTrue();
        }
    }

    /** This test's records: other tests of the module share the topic, and run before or after, never beside it. */
    private static List<ConsumerRecord<String, String>> mine(dev.ich.testkit.TopicTap audit, Instant since) throws Exception {
        List<ConsumerRecord<String, String>> mine = new java.util.ArrayList<>();
        for (ConsumerRecord<String, String> r : audit.records()) {
            if (!Instant.parse(Events.JSON.readTree(r.value()).path("recorded").asText()).isBefore(since)) mine.add(r);
        }
        return mine;
    }
}
