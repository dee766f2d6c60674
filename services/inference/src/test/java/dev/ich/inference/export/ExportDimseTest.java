package dev.ich.inference.export;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.ResultExported;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.Orthanc;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * C-STORE export to a real Orthanc. {@code pacs} is Orthanc under its AE title; {@code wrongae} is the same Orthanc
 * under a title it does not answer to (it checks the called AE title), so it rejects every association. Orthanc is
 * down at first: what is queued then waits in the bucket, survives a restart of the senders, and arrives once, when
 * Orthanc is up. The refusing destination ends on the dead-letter topic without holding the other one up.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@TestProfile(ExportDimseTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExportDimseTest {
    static final int DICOM_PORT = Orthanc.freePort();
    static final int HTTP_PORT = Orthanc.freePort();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ExportFixture.exportSettings(Map.of(
                    "pacs", Map.of("kind", "dimse", "host", "127.0.0.1", "port", Integer.toString(DICOM_PORT),
                            "called-ae-title", Orthanc.DEFAULT_AE_TITLE, "max-attempts", "3", "initial-backoff", "50ms", "max-backoff", "300ms"),
                    // the same Orthanc under a title it does not answer to
                    "wrongae", Map.of("kind", "dimse", "host", "127.0.0.1", "port", Integer.toString(DICOM_PORT),
                            "called-ae-title", "NOT-ORTHANC", "max-attempts", "2", "initial-backoff", "20ms", "max-backoff", "100ms")));
        }
    }

    static ExportFixture fixture;
    static Orthanc orthanc;
    static TopicTap exported;
    static TopicTap deadLetters;

    @Inject
    ResultsExport export;

    @BeforeAll
    static void setUp() {
        assumeTrue(Orthanc.available(), "Orthanc or its DICOMweb plugin is not installed (apt-get install orthanc orthanc-dicomweb)");
        fixture = new ExportFixture(31, 2);
        exported = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.RESULTS_EXPORTED);
        deadLetters = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.deadLetter(Topics.RESULTS_EXPORTED));
    }

    @AfterAll
    static void tearDown() {
        if (orthanc != null) orthanc.close();
        if (exported != null) exported.close();
        if (deadLetters != null) deadLetters.close();
    }

    @Test
    @Order(1)
    void whileTheDestinationIsDownTheOutboxKeepsEverythingAcrossARestartThenDeliversEachObjectOnce() {
        List<SliceTruth> study = fixture.study(0);
        List<String> keys = ExportFixture.storeAsResults(study);

        assertThat(export.enqueue(ExportFixture.studyUid(study), keys)).as("one record per destination and object").isEqualTo(2 * keys.size());
        assertThat(ExportFixture.outbox("pacs")).as("written before enqueue returned").hasSize(keys.size());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            DestinationStatus pacs = export.status().get("pacs");
            assertThat(pacs.retries()).isGreaterThanOrEqualTo(3);
            assertThat(pacs.lastError()).contains("cannot reach");
        });
        // Unreachable is not a refusal: nothing is given up however long the destination stays down.
        assertThat(deadLetters.records()).isEmpty();
        assertThat(ExportFixture.outbox("pacs")).hasSize(keys.size());
        assertThat(ExportFixture.outbox("wrongae")).hasSize(keys.size());

        // A restart: the new senders know only what the bucket holds.
        export.stop();
        export.start();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(export.status().get("pacs").queued()).isEqualTo(keys.size()));

        orthanc = Orthanc.start(Map.of("HttpPort", HTTP_PORT, "DicomPort", DICOM_PORT, "DicomCheckCalledAet", true));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(ExportFixture.orthancSops(orthanc)).containsAll(ExportFixture.sops(study));
            assertThat(ExportFixture.outbox("pacs")).isEmpty();
            assertThat(ExportFixture.recordsFor(exported, "pacs")).hasSize(keys.size());
        });
        List<ConsumerRecord<String, String>> records = ExportFixture.recordsFor(exported, "pacs");
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(keys);
        for (ConsumerRecord<String, String> r : records) {
            ResultExported e = ExportFixture.event(r);
            assertThat(e.objectKey()).isEqualTo(r.key());
            assertThat(e.studyInstanceUid()).isEqualTo(ExportFixture.studyUid(study));
            assertThat(r.key()).endsWith("/" + e.sopInstanceUid() + ".dcm");
            assertThat(e.kind()).isEqualTo("dimse");
            assertThat(e.status()).isEqualTo("0000");
            assertThat(e.attempts()).as("failed while Orthanc was down, then sent").isGreaterThanOrEqualTo(2);
            assertThat(e.sentAt()).isNotNull();
            assertThat(e.error()).isNull();
            assertThat(TopicTap.header(r, "ce_type")).isEqualTo(ResultExported.TYPE);
        }
        // Nothing doubled: Orthanc holds exactly the study (wrongae never got through), one event per object.
        assertThat(ExportFixture.orthancInstanceCount(orthanc)).isEqualTo(keys.size());
        assertThat(export.status().get("pacs").sent()).isEqualTo(keys.size());
    }

    @Test
    @Order(2)
    void aDestinationThatRejectsTheAssociationEndsOnTheDeadLetterTopicAfterMaxAttempts() {
        assumeTrue(orthanc != null, "needs Orthanc from the first test");
        List<String> keys = ExportFixture.keys(fixture.study(0));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(ExportFixture.recordsFor(deadLetters, "wrongae")).hasSize(keys.size());
            assertThat(ExportFixture.outbox("wrongae")).isEmpty();
        });
        for (ConsumerRecord<String, String> r : ExportFixture.recordsFor(deadLetters, "wrongae")) {
            String reason = TopicTap.header(r, "dead-letter-reason");
            assertThat(reason).contains("refused 2 times").contains("called AE Title not recognized");
            assertThat(TopicTap.header(r, "dead-letter-topic")).isEqualTo(Topics.RESULTS_EXPORTED);
            ResultExported e = ExportFixture.event(r);
            assertThat(e.sentAt()).isNull();
            assertThat(e.error()).isEqualTo(reason);
            assertThat(e.status()).isEqualTo("A-ASSOCIATE-RJ");
        }
        assertThat(ExportFixture.recordsFor(deadLetters, "wrongae")).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(ExportFixture.recordsFor(deadLetters, "pacs")).isEmpty();
        assertThat(export.status().get("wrongae").failed()).isEqualTo(keys.size());
    }

    @Test
    @Order(3)
    void aRunningDestinationGetsANewStudyAndTheStatusEndpointAndMetricsSayWhatHappened() {
        assumeTrue(orthanc != null, "needs Orthanc from the first test");
        List<SliceTruth> study = fixture.study(1);
        List<String> keys = ExportFixture.storeAsResults(study);
        export.enqueue(ExportFixture.studyUid(study), keys);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(ExportFixture.orthancSops(orthanc)).containsAll(ExportFixture.sops(study));
            assertThat(ExportFixture.outbox("pacs")).isEmpty();
            assertThat(ExportFixture.recordsFor(exported, "pacs")).hasSize(2 * keys.size());
        });
        Set<String> exportedKeys = new TreeSet<>();
        ExportFixture.recordsFor(exported, "pacs").forEach(r -> assertThat(exportedKeys.add(r.key())).as("once: %s", r.key()).isTrue());

        RestAssured.given().get("/export/status").then().statusCode(200)
                .body("destinations.pacs.kind", equalTo("dimse"))
                .body("destinations.pacs.target", equalTo("ORTHANC@127.0.0.1:" + DICOM_PORT))
                .body("destinations.pacs.sending", equalTo(true))
                .body("destinations.pacs.sent", equalTo(2 * keys.size()))
                .body("destinations.wrongae.lastError", containsString("called AE Title not recognized"));
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("ich_inference_export_sent_total{destination=\"pacs\"} " + (2.0 * keys.size())))
                .body(containsString("ich_inference_export_queued{destination=\"pacs\"} 0.0"));
    }
}
