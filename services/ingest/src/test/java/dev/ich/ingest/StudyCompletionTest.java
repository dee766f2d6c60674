package dev.ich.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.ingest.Fixtures.Part;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** study-completed: one event per study once no instance arrived for the stable age (2 s in tests), and again after more. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class StudyCompletionTest {
    @Inject
    StudyCompletion completion;

    @Test
    void aStudyCompletesOnceAfterItsStableAgeAndAgainWhenMoreInstancesArrive() throws Exception {
        PhantomSet study = Fixtures.study(171);
        List<SliceTruth> slices = study.slices();
        String uid = slices.get(0).studyInstanceUid();
        try (TopicTap completed = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.STUDY_COMPLETED)) {
            Instant sent = Instant.now();
            stow(slices.subList(0, slices.size() - 1));
            assertThat(S3TestResource.store().stat(ObjectKeys.ingestOpenStudy(uid))).as("the open-study marker").isPresent();

            await().atMost(Duration.ofSeconds(30)).until(() -> about(completed, uid).size() == 1);
            JsonNode first = Events.JSON.readTree(about(completed, uid).get(0).value());
            assertThat(first.get("instances").asInt()).isEqualTo(slices.size() - 1);
            assertThat(first.get("seriesUids").get(0).asText()).isEqualTo(slices.get(0).seriesInstanceUid());
            assertThat(first.get("patientKey").asText()).isEqualTo(Fixtures.deidentifier().patientKey(slices.get(0).patientId()));
            Instant last = Instant.parse(first.get("lastStoredAt").asText());
            assertThat(Duration.between(last, Instant.parse(first.get("completedAt").asText()))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(last).isAfter(sent.minusSeconds(1));
            assertThat(TopicTap.header(about(completed, uid).get(0), "ce_type")).isEqualTo("dev.ich.study.completed");
            await().atMost(Duration.ofSeconds(10)).until(() -> S3TestResource.store().stat(ObjectKeys.ingestOpenStudy(uid)).isEmpty());

            // A re-sent instance is a duplicate: nothing new, no new round.
            stow(slices.subList(0, 1));
            Thread.sleep(3_500);
            assertThat(about(completed, uid)).hasSize(1);

            // One more instance: a new round, a second event with the whole study.
            stow(slices.subList(slices.size() - 1, slices.size()));
            await().atMost(Duration.ofSeconds(30)).until(() -> about(completed, uid).size() == 2);
            assertThat(Events.JSON.readTree(about(completed, uid).get(1).value()).get("instances").asInt()).isEqualTo(slices.size());
        }
    }

    @Test
    void aStudyLeftOpenByARestartCompletesFromItsMarker() throws Exception {
        PhantomSet study = Fixtures.study(172);
        SliceTruth slice = study.slices().get(0);
        String uid = slice.studyInstanceUid();
        // What a crashed replica leaves behind: the stored instance and the open-study marker, nothing announced.
        S3TestResource.store().put(ObjectKeys.raw(uid, slice.seriesInstanceUid(), slice.sopInstanceUid()), Fixtures.stored(slice),
                "application/dicom", Map.of());
        S3TestResource.store().put(ObjectKeys.ingestOpenStudy(uid), Events.JSON.writeValueAsBytes(Map.of("studyInstanceUid", uid,
                "patientKey", "p", "firstStoredAt", Instant.now().minusSeconds(600).toString())), "application/json", Map.of());
        try (TopicTap completed = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.STUDY_COMPLETED)) {
            completion.recover();
            await().atMost(Duration.ofSeconds(30)).until(() -> about(completed, uid).size() == 1);
            assertThat(Events.JSON.readTree(about(completed, uid).get(0).value()).get("instances").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> S3TestResource.store().stat(ObjectKeys.ingestOpenStudy(uid)).isEmpty());
        }
    }

    @Test
    void aCompletionTriedAgainAfterKafkaCameBackIsTheSameEvent() {
        List<SliceTruth> slices = Fixtures.study(173).slices();
        String uid = slices.get(0).studyInstanceUid();
        String id;
        KafkaTestResource.stopBroker();
        try {
            stow(slices);
            // The stable age passed, the announcement was not acknowledged: it waits, with the id it was sent under.
            id = await().atMost(Duration.ofSeconds(60)).until(() -> completion.unacknowledgedId(uid), java.util.Optional::isPresent).get();
        } finally {
            KafkaTestResource.restartBroker();
        }
        try (TopicTap completed = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.STUDY_COMPLETED)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> about(completed, uid).size() == 1);
            assertThat(TopicTap.header(about(completed, uid).get(0), "ce_id")).isEqualTo(id);
            assertThat(Events.JSON.readTree(about(completed, uid).get(0).value()).get("instances").asInt()).isEqualTo(slices.size());
            await().atMost(Duration.ofSeconds(10)).until(() -> completion.unacknowledgedId(uid).isEmpty());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<ConsumerRecord<String, String>> about(TopicTap tap, String study) {
        return tap.records().stream().filter(r -> study.equals(r.key())).toList();
    }

    private static void stow(List<SliceTruth> slices) {
        given().contentType(Fixtures.STOW_TYPE).body(Fixtures.multipart(slices.stream().map(s -> Part.dicom(Fixtures.bytes(s))).toList()))
                .when().post("/studies").then().statusCode(200);
    }
}
