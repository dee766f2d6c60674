package dev.ich.ingest;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Switched off explicitly (and without a key): instances are stored as sent, and the gauge says so. */
@QuarkusTest
@TestProfile(DeidentifyOffTest.Off.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
public class DeidentifyOffTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ich.ingest.deidentify.enabled", "false", "ich.ingest.deidentify.key", "");
        }
    }

    @Test
    void theInstanceIsStoredAsSentAndTheMetricsSayDeidentificationIsOff() {
        SliceTruth slice = Fixtures.study(821).slices().get(0);
        byte[] sent = Fixtures.bytes(slice);

        given().contentType("application/dicom").body(sent).post("/instances")
                .then().statusCode(200).body("status", equalTo("stored"));

        String key = ObjectKeys.raw(slice.studyInstanceUid(), slice.seriesInstanceUid(), slice.sopInstanceUid());
        assertThat(S3TestResource.store().get(key)).isEqualTo(sent);
        assertThat(Management.given().get("/q/metrics").asString()).containsPattern("ich_ingest_deidentify_enabled(\\{[^}]*})? 0\\.0");
    }
}
