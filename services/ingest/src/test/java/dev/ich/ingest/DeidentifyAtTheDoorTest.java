package dev.ich.ingest;

import dev.ich.core.dicom.DicomHeader;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** With ich.ingest.deidentify.enabled the stored object and the event carry the keyed patient id. */
@QuarkusTest
@TestProfile(DeidentifyAtTheDoorTest.Deidentifying.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class DeidentifyAtTheDoorTest {
    static final String SECRET = "door-secret";

    public static class Deidentifying implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ich.ingest.deidentify.enabled", "true", "ich.ingest.deidentify.key", SECRET);
        }
    }

    @Test
    void twoSlicesOfOnePatientAreStoredUnderOneKeyedIdAndSendingAgainIsADuplicate() throws Exception {
        List<SliceTruth> slices = Fixtures.study(801).slices().subList(0, 2);
        String expected = new Deidentifier(SECRET).patientKey(slices.get(0).patientId());

        for (SliceTruth slice : slices) {
            String objectKey = given().contentType("application/dicom").body(Fixtures.bytes(slice)).post("/instances")
                    .then().statusCode(200).body("status", equalTo("stored")).extract().path("objectKey");
            DicomHeader stored = DicomReader.create().readHeader(S3TestResource.store().get(objectKey), objectKey);
            assertThat(stored.patientId()).isEqualTo(expected).isNotEqualTo(slice.patientId());
            assertThat(stored.text("PatientIdentityRemoved")).isEqualTo("YES");
            assertThat(stored.sopInstanceUid()).isEqualTo(slice.sopInstanceUid());
        }
        given().contentType("application/dicom").body(Fixtures.bytes(slices.get(0))).post("/instances")
                .then().statusCode(200).body("status", equalTo("duplicate"));
        try (IngestedEvents events = new IngestedEvents()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> events.about(slices.get(1).sopInstanceUid()).size() == 1);
            assertThat(events.about(slices.get(1).sopInstanceUid()).get(0).payload().get("patientKey").asText())
                    .isEqualTo(expected);
        }
    }
}
