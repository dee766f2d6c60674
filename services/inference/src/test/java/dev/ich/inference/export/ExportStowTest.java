package dev.ich.inference.export;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.ResultExported;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.Orthanc;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
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
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * STOW-RS export to a real Orthanc's DICOMweb plugin, with basic credentials: {@code web} is its DICOMweb root,
 * {@code nowhere} a path Orthanc answers 404 for, which is a refusal and ends on the dead-letter topic after
 * max-attempts.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@TestProfile(ExportStowTest.Profile.class)
class ExportStowTest {
    static final int HTTP_PORT = Orthanc.freePort();
    static final String PASSWORD = "stow-" + Long.toHexString(System.nanoTime());

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ExportFixture.exportSettings(Map.of(
                    "web", Map.of("kind", "stow", "url", "http://127.0.0.1:" + HTTP_PORT + "/dicom-web", "username", "ich",
                            "password", PASSWORD, "initial-backoff", "50ms", "max-backoff", "300ms"),
                    // a DICOMweb path the server does not serve
                    "nowhere", Map.of("kind", "stow", "url", "http://127.0.0.1:" + HTTP_PORT + "/no-such-dicomweb", "username", "ich",
                            "password", PASSWORD, "max-attempts", "3", "initial-backoff", "20ms", "max-backoff", "100ms")));
        }
    }

    static Orthanc orthanc;
    static ExportFixture fixture;

    @Inject
    ResultsExport export;

    @BeforeAll
    static void setUp() {
        assumeTrue(Orthanc.available(), "Orthanc or its DICOMweb plugin is not installed (apt-get install orthanc orthanc-dicomweb)");
        fixture = new ExportFixture(47, 1);
        orthanc = Orthanc.start(Map.of("HttpPort", HTTP_PORT, "AuthenticationEnabled", true, "RegisteredUsers", Map.of("ich", PASSWORD)));
    }

    @AfterAll
    static void tearDown() {
        if (orthanc != null) orthanc.close();
    }

    @Test
    void stowStoresEveryObjectAndARefusingUrlEndsOnTheDeadLetterTopic() {
        List<SliceTruth> study = fixture.study(0);
        List<String> keys = ExportFixture.storeAsResults(study);
        try (TopicTap exported = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.RESULTS_EXPORTED);
             TopicTap deadLetters = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.deadLetter(Topics.RESULTS_EXPORTED))) {
            assertThat(export.enqueue(ExportFixture.studyUid(study), keys)).isEqualTo(2 * keys.size());

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(ExportFixture.orthancSops(orthanc)).containsExactlyInAnyOrderElementsOf(ExportFixture.sops(study));
                assertThat(ExportFixture.outbox("web")).isEmpty();
                assertThat(ExportFixture.recordsFor(exported, "web")).hasSize(keys.size());
            });
            List<ConsumerRecord<String, String>> records = ExportFixture.recordsFor(exported, "web");
            assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(keys);
            for (ConsumerRecord<String, String> r : records) {
                ResultExported e = ExportFixture.event(r);
                assertThat(e.kind()).isEqualTo("stow");
                assertThat(e.status()).startsWith("HTTP 200");
                assertThat(e.attempts()).isEqualTo(1);
                assertThat(r.key()).endsWith("/" + e.sopInstanceUid() + ".dcm");
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(ExportFixture.recordsFor(deadLetters, "nowhere")).hasSize(keys.size());
                assertThat(ExportFixture.outbox("nowhere")).isEmpty();
            });
            for (ConsumerRecord<String, String> r : ExportFixture.recordsFor(deadLetters, "nowhere")) {
                assertThat(TopicTap.header(r, "dead-letter-reason")).contains("refused 3 times").contains("HTTP 404");
                ResultExported e = ExportFixture.event(r);
                assertThat(e.attempts()).isEqualTo(3);
                assertThat(e.sentAt()).isNull();
            }
            assertThat(ExportFixture.recordsFor(exported, "nowhere")).isEmpty();
            assertThat(ExportFixture.orthancInstanceCount(orthanc)).isEqualTo(keys.size());
        }
        // Credentials come from configuration and never come back out.
        RestAssured.given().get("/export/status").then().statusCode(200)
                .body(containsString("/dicom-web/studies"))
                .body(not(containsString(PASSWORD)));
        assertThat(export.status().get("nowhere").failed()).isEqualTo(keys.size());
    }
}
