package dev.ich.ingest;

import dev.ich.core.contract.ObjectKeys;
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

/** Storage first, event second: with Kafka down an instance is stored, and its event arrives later. */
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
}
