package dev.ich.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.CloudEvents;
import dev.ich.core.event.Events;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Storage first, event second: with Kafka down an instance is stored, and its event arrives later, with the CloudEvents
 * id its pending marker recorded when the instance was stored.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class KafkaOutageTest {

    @Test
    void anInstanceStoredDuringAKafkaOutageIsAnnouncedWhenTheBrokerIsBack() {
        SliceTruth slice = Fixtures.study(701).slices().get(0);
        String key = ObjectKeys.raw(slice.studyInstanceUid(), slice.seriesInstanceUid(), slice.sopInstanceUid());
        String marker = ObjectKeys.ingestPending(slice.sopInstanceUid());
        KafkaTestResource.stopBroker();
        try {
            given().contentType("application/dicom").body(Fixtures.bytes(slice)).when().post("/instances")
                    .then().statusCode(200).body("status", equalTo("stored"));

            assertThat(S3TestResource.store().get(key)).isEqualTo(Fixtures.stored(slice));
            // the event could not be acknowledged: it waits, in memory and as a marker that survives a restart
            await().atMost(Duration.ofSeconds(20)).until(() -> S3TestResource.store().stat(marker).isPresent());
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    Management.given().get("/q/health/ready").statusCode() == 503);
        } finally {
            KafkaTestResource.restartBroker();
        }

        try (IngestedEvents events = new IngestedEvents()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> events.about(slice.sopInstanceUid()).size() == 1);
            assertThat(events.about(slice.sopInstanceUid()).get(0).payload().get("objectKey").asText()).isEqualTo(key);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> S3TestResource.store().stat(marker).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void theRetriedEventCarriesTheIdChosenWhenTheInstanceWasStored() throws Exception {
        SliceTruth slice = Fixtures.study(702).slices().get(0);
        String marker = ObjectKeys.ingestPending(slice.sopInstanceUid());
        String id;
        KafkaTestResource.stopBroker();
        try {
            given().contentType("application/dicom").body(Fixtures.bytes(slice)).when().post("/instances")
                    .then().statusCode(200).body("status", equalTo("stored"));
            await().atMost(Duration.ofSeconds(20)).until(() -> S3TestResource.store().stat(marker).isPresent());
            JsonNode waiting = Events.JSON.readTree(S3TestResource.store().get(marker));
            id = waiting.path("id").asText();
            assertThat(id).as("the marker's CloudEvents id").hasSize(36);
            assertThat(waiting.path("event").path("sopInstanceUid").asText()).isEqualTo(slice.sopInstanceUid());
        } finally {
            KafkaTestResource.restartBroker();
        }

        try (IngestedEvents events = new IngestedEvents()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !events.about(slice.sopInstanceUid()).isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> S3TestResource.store().stat(marker).isEmpty());
            // Every record of this instance, however many tries reached the broker, is the one event.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> events.about(slice.sopInstanceUid())
                    .stream().allMatch(e -> id.equals(e.headers().get(CloudEvents.ID))));
        }
    }

    /**
     * A process killed between storing an instance and its event leaves the sender without an answer; its retry is a
     * duplicate, and the duplicate is what announces the instance: again, under the same id, which consumers skip when
     * they had it already.
     */
    @Test
    void aDuplicateAnnouncesTheInstanceAgainUnderTheSameId() {
        SliceTruth slice = Fixtures.study(703).slices().get(0);
        given().contentType("application/dicom").body(Fixtures.bytes(slice)).when().post("/instances")
                .then().statusCode(200).body("status", equalTo("stored"));
        try (IngestedEvents events = new IngestedEvents()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> events.about(slice.sopInstanceUid()).size() == 1);
            String id = events.about(slice.sopInstanceUid()).get(0).headers().get(CloudEvents.ID);
            given().contentType("application/dicom").body(Fixtures.bytes(slice)).when().post("/instances")
                    .then().statusCode(200).body("status", equalTo("duplicate"));
            await().atMost(Duration.ofSeconds(30)).until(() -> events.about(slice.sopInstanceUid()).size() == 2);
            assertThat(events.about(slice.sopInstanceUid())).allMatch(e -> id.equals(e.headers().get(CloudEvents.ID)));
        }
    }
}
