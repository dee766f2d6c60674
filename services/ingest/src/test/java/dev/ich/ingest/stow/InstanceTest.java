package dev.ich.ingest.stow;

import dev.ich.ingest.DimsePortResource;
import dev.ich.ingest.Fixtures;
import dev.ich.ingest.HostileCases;
import dev.ich.ingest.IngestedEvents;
import dev.ich.ingest.Ingestor;
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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class InstanceTest {

    @Test
    void theSameFileSentTwiceIsStoredOnceAndAnnouncedUnderOneId() {
        SliceTruth slice = Fixtures.study(201).slices().get(0);
        byte[] bytes = Fixtures.bytes(slice);
        String key = ObjectKeys.raw(slice.studyInstanceUid(), slice.seriesInstanceUid(), slice.sopInstanceUid());

        given().contentType("application/dicom").body(bytes).when().post("/instances")
                .then().statusCode(200).body("status", equalTo("stored")).body("sop", equalTo(slice.sopInstanceUid()))
                .body("objectKey", equalTo(key)).body("sha256", equalTo(Ingestor.sha256(Fixtures.stored(bytes))));
        given().contentType("application/dicom").body(bytes).when().post("/instances")
                .then().statusCode(200).body("status", equalTo("duplicate")).body("objectKey", equalTo(key));

        try (IngestedEvents events = new IngestedEvents()) {
            // the duplicate announces the instance again (it heals a kill between store and event), under the same id
            await().atMost(Duration.ofSeconds(20)).until(() -> events.about(slice.sopInstanceUid()).size() == 2);
            String id = events.about(slice.sopInstanceUid()).get(0).headers().get(dev.ich.core.event.CloudEvents.ID);
            assertThat(events.about(slice.sopInstanceUid())).allMatch(e -> id.equals(e.headers().get(dev.ich.core.event.CloudEvents.ID)));
            assertThat(events.about(slice.sopInstanceUid()).get(0).payload().get("source").asText()).isEqualTo("upload");
        }
        assertThat(S3TestResource.store().get(key)).isEqualTo(Fixtures.stored(bytes));
    }

    @Test
    void aDifferentInstanceUnderAStoredUidIsRejectedAndTheFirstOneKept() {
        SliceTruth slice = Fixtures.study(202).slices().get(1);
        byte[] original = Fixtures.bytes(slice);
        byte[] altered = original.clone();
        altered[altered.length - 1] ^= 0x01; // one pixel differs, the UIDs do not

        given().contentType("application/dicom").body(original).when().post("/instances").then().statusCode(200);
        given().contentType("application/dicom").body(altered).when().post("/instances")
                .then().statusCode(409).contentType("application/problem+json").body("code", equalTo("ConflictingContent"))
                .body("type", equalTo("urn:ich:problem:ConflictingContent")).body("instance", equalTo("/instances"))
                .body("detail", containsString("SOP Instance UID " + slice.sopInstanceUid()
                        + " is already stored with different content"));

        String key = ObjectKeys.raw(slice.studyInstanceUid(), slice.seriesInstanceUid(), slice.sopInstanceUid());
        assertThat(S3TestResource.store().get(key)).isEqualTo(Fixtures.stored(original));
    }

    @Test
    void badUploadsGetACodeAndAReason() {
        given().contentType("application/dicom").body("plain text".getBytes()).when().post("/instances")
                .then().statusCode(400).body("code", equalTo("NotDicom")).body("detail", containsString("not a DICOM file"));
        given().contentType("application/octet-stream").body(new byte[10]).when().post("/instances")
                .then().statusCode(415).body("code", equalTo("WrongContentType"));
        given().contentType("application/dicom").body(new byte[5 * 1024 * 1024]).when().post("/instances")
                .then().statusCode(413).body("code", equalTo("TooLarge"));
        given().contentType("application/dicom").body(Fixtures.pydicom("MR_small.dcm")).when().post("/instances")
                .then().statusCode(422).body("code", equalTo("ModalityNotAllowed"));
        for (HostileCases.Case c : HostileCases.all(20_400)) {
            given().contentType("application/dicom").body(c.bytes()).when().post("/instances")
                    .then().statusCode(c.code().httpStatus()).contentType("application/problem+json")
                    .body("code", equalTo(c.code().name())).body("detail", containsString(c.reason()));
        }
    }

    @Test
    void metricsCountWhatWasStoredAndRejectedAndReadinessIsUp() {
        SliceTruth slice = Fixtures.study(203).slices().get(2);
        given().contentType("application/dicom").body(Fixtures.bytes(slice)).when().post("/instances").then().statusCode(200);
        given().contentType("application/dicom").body("x".getBytes()).when().post("/instances").then().statusCode(400);

        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("ich_ingest_instances_total\\{.*source=\"upload\".*} [1-9]")
                .containsPattern("ich_ingest_received_bytes_total\\{.*source=\"upload\".*} [1-9]")
                .containsPattern("ich_ingest_rejections_total\\{.*reason=\"NotDicom\".*} [1-9]")
                .contains("http_server_requests_seconds_count");
        assertThat(Management.given().get("/q/openapi").asString()).contains("/studies", "/instances", "/imports/{id}");
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItems("object storage"));
    }
}
