package dev.ich.ingest.dimse;

import dev.ich.ingest.Dcmtk;
import dev.ich.ingest.DimsePortResource;
import dev.ich.ingest.Fixtures;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.ingest.Dcmtk.Run;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who may send over DIMSE: the %test profile allows STORESCU, ECHOSCU and ICH-TEST-SENDER under the
 * called AE title ICH; dcmtk's storescu and echoscu, on loopback, are the senders.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class DimseAllowlistTest {

    @Test
    void anAllowedCallingAeStores() {
        SliceTruth slice = Fixtures.study(1101).slices().get(0);

        Run store = Dcmtk.storescu("ICH-TEST-SENDER", "ICH", slice.file().toString());

        assertThat(store.exit()).as(store.output()).isZero();
        assertThat(store.output()).contains("Received Store Response (Success)");
        await().atMost(Duration.ofSeconds(20)).until(() -> S3TestResource.store().stat(key(slice)).isPresent());
    }

    @Test
    void anUnknownCallingAeIsRejectedAtAssociationAndNothingIsStored() {
        SliceTruth slice = Fixtures.study(1102).slices().get(0);

        Run store = Dcmtk.storescu("INTRUDER", "ICH", slice.file().toString());

        assertThat(store.exit()).as(store.output()).isNotZero();
        assertThat(store.output()).containsIgnoringCase("Association Rejected")
                .containsIgnoringCase("Calling AE Title Not Recognized");
        assertThat(S3TestResource.store().stat(key(slice))).isEmpty();
        assertThat(rejections("calling-ae-not-recognized")).isPositive();
        Run echo = Dcmtk.echoscu("INTRUDER", "ICH");
        assertThat(echo.exit()).as(echo.output()).isNotZero();
    }

    @Test
    void aCalledAeOtherThanOursIsRejectedAtAssociation() {
        SliceTruth slice = Fixtures.study(1103).slices().get(0);

        Run store = Dcmtk.storescu("STORESCU", "NOT-ICH", slice.file().toString());

        assertThat(store.exit()).as(store.output()).isNotZero();
        assertThat(store.output()).containsIgnoringCase("Called AE Title Not Recognized");
        assertThat(S3TestResource.store().stat(key(slice))).isEmpty();
        assertThat(rejections("called-ae-not-recognized")).isPositive();
    }

    @Test
    void dcmtksDefaultCallingAeTitlesAreAllowedInTests() {
        Run echo = Dcmtk.run("echoscu", "-v", "-aec", "ICH", "127.0.0.1", String.valueOf(DimsePortResource.port));
        assertThat(echo.exit()).as(echo.output()).isZero();
        assertThat(echo.output()).contains("Received Echo Response (Success)");
    }

    private static String key(SliceTruth s) {
        return ObjectKeys.raw(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid());
    }

    /** ich_ingest_dimse_associations_rejected_total{reason}, 0 when the series does not exist yet. */
    static double rejections(String reason) {
        String prefix = "ich_ingest_dimse_associations_rejected_total{reason=\"" + reason + "\"} ";
        return Management.given().get("/q/metrics").asString().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).sum();
    }
}
