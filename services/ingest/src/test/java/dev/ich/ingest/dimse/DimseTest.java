package dev.ich.ingest.dimse;

import dev.ich.ingest.Dcmtk;
import dev.ich.ingest.DimsePortResource;
import dev.ich.ingest.Fixtures;
import dev.ich.ingest.IngestedEvents;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.ingest.Dcmtk.Run;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real DICOM network peer: dcmtk's echoscu and storescu from Debian against the receiver. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class DimseTest {

    @Test
    void echoscuGetsAnAnswerFromTheConfiguredAeTitle() {
        Run echo = Dcmtk.run("echoscu", "-v", "-aec", "ICH", "127.0.0.1", String.valueOf(DimsePortResource.port));

        assertThat(echo.exit()).as(echo.output()).isZero();
        assertThat(echo.output()).contains("Received Echo Response (Success)");
    }

    @Test
    void aStudySentWithStorescuIsStoredAndAnnouncedAsCStore() {
        List<SliceTruth> slices = Fixtures.study(401).slices();
        List<String> command = new ArrayList<>(List.of("storescu", "-v", "-aec", "ICH", "127.0.0.1",
                String.valueOf(DimsePortResource.port)));
        slices.forEach(s -> command.add(s.file().toString()));

        Run store = Dcmtk.run(command.toArray(String[]::new));

        assertThat(store.exit()).as(store.output()).isZero();
        assertThat(store.output()).contains("Received Store Response (Success)");
        try (IngestedEvents events = new IngestedEvents()) {
            for (SliceTruth s : slices) {
                String key = ObjectKeys.raw(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid());
                assertThat(S3TestResource.store().stat(key)).as(key).isPresent();
                await().atMost(Duration.ofSeconds(20)).until(() -> events.about(s.sopInstanceUid()).size() == 1);
                assertThat(events.about(s.sopInstanceUid()).get(0).payload().get("source").asText()).isEqualTo("c-store");
            }
        }
    }

    @Test
    void anInstanceUploadedOverHttpAndThenSentByStorescuIsADuplicateNotAConflict() {
        SliceTruth slice = Fixtures.study(402).slices().get(0);
        io.restassured.RestAssured.given().contentType("application/dicom").body(Fixtures.bytes(slice))
                .post("/instances").then().statusCode(200);

        // PixelMed writes its own file meta header, so the file differs; the data set does not
        Run store = Dcmtk.run("storescu", "-v", "-aec", "ICH", "127.0.0.1", String.valueOf(DimsePortResource.port),
                slice.file().toString());

        // a conflict would be refused (DimseStatusTest): Success says ingest took it for the same data set
        assertThat(store.exit()).as(store.output()).isZero();
        assertThat(store.output()).contains("Received Store Response (Success)");
        String metrics = Management.given().get("/q/metrics").asString();
        assertThat(metrics).containsPattern("ich_ingest_duplicates_total\\{source=\"c-store\"} [1-9]");
    }

    @Test
    void anMrInstanceIsRefusedOverDimseAndTheSenderIsToldSo() {
        Run store = Dcmtk.run("storescu", "-v", "-aec", "ICH", "127.0.0.1", String.valueOf(DimsePortResource.port),
                Fixtures.PYDICOM.resolve("MR_small.dcm").toString());

        // ingest decides before it answers (DimseStatusTest has every status): a failure, nothing stored
        assertThat(store.exit()).as(store.output()).isNotZero();
        assertThat(store.output()).doesNotContain("Received Store Response (Success)");
        assertThat(S3TestResource.store().list(ObjectKeys.RAW_PREFIX + "1.3.6.1.4.1.5962.1.2.4.20040826185059.5457"))
                .isEmpty();
        String metrics = Management.given().get("/q/metrics").asString();
        assertThat(metrics).containsPattern("ich_ingest_rejections_total\\{.*reason=\"ModalityNotAllowed\".*source=\"c-store\".*} [1-9]");
    }
}
