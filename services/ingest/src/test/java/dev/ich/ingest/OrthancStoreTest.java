package dev.ich.ingest;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.Orthanc;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orthanc, a PACS and so an independent C-STORE sender, pushing to ich: what it reports is what ich answered
 * (Orthanc's REST store call fails when the C-STORE response is a failure).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class OrthancStoreTest {
    private static Orthanc orthanc;

    @BeforeAll
    static void start() {
        orthanc = Orthanc.start(Map.of("DicomAet", "ORTHANC", "DicomModalities",
                Map.of("ich", List.of("ICH", "127.0.0.1", DimsePortResource.port))));
    }

    @AfterAll
    static void stop() {
        if (orthanc != null) orthanc.close();
    }

    @Test
    void orthancReportsSuccessForACtSliceAndIchHasStoredIt() {
        SliceTruth slice = Fixtures.study(1401).slices().get(0);
        String id = orthanc.upload(Fixtures.bytes(slice));

        Orthanc.Response sent = orthanc.store("ich", List.of(id));

        assertThat(sent.status()).as(sent + "\n" + orthanc.logTail()).isEqualTo(200);
        assertThat(S3TestResource.store().get(ObjectKeys.raw(slice.studyInstanceUid(), slice.seriesInstanceUid(),
                slice.sopInstanceUid()))).isEqualTo(Fixtures.stored(slice));
    }

    @Test
    void orthancReportsAFailureForAnInstanceIchRefuses() {
        String id = orthanc.upload(Fixtures.pydicom("MR_small.dcm"));

        Orthanc.Response sent = orthanc.store("ich", List.of(id));

        assertThat(sent.status()).as(sent.toString()).isGreaterThanOrEqualTo(400);
        assertThat(S3TestResource.store().list(ObjectKeys.RAW_PREFIX + "1.3.6.1.4.1.5962.1.2.4.20040826185059.5457"))
                .isEmpty();
    }
}
