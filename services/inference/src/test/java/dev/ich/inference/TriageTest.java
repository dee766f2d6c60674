package dev.ich.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.core.event.StudyCompleted;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.Chromium;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A completed study, announced on study-completed as ingest announces it, becomes with no call by hand an SR, heatmap
 * captures, worklist pictures, prediction.json and a study-predicted event; the studies that cannot be triaged say why.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@Order(5)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TriageTest {
    private static final ObjectStore S3 = S3TestResource.store();

    @Test
    @Order(1)
    void aCompletedStudyGetsItsSrHeatmapsPicturesAndAWorklistEntry(@TempDir Path dir) throws Exception {
        PhantomModels models = Served.atLeastV1();
        String version = Served.version();
        List<SliceTruth> study = models.study(0);
        String uid = study.get(0).studyInstanceUid();
        store(study);

        JsonNode event = triage(uid);

        assertThat(event.path("outcome").asText()).isEqualTo("predicted");
        assertThat(event.path("model").path("version").asText()).isEqualTo(version);
        assertThat(event.path("slicesPredicted").asInt()).isEqualTo(study.size());
        // The study's probability is the highest over the slices the drop rule keeps, as the model computes them.
        double expected = -1;
        String top = null;
        int kept = 0;
        for (SliceTruth s : study) {
            if (s.brainWindowFraction() < 0.02) continue;
            kept++;
            float p = models.expected(version, s);
            if (p > expected) {
                expected = p;
                top = s.sopInstanceUid();
            }
        }
        assertThat(event.path("slicesKept").asInt()).isEqualTo(kept);
        double any = event.path("probabilities").path("any").asDouble();
        assertThat(any).isCloseTo(expected, within(1e-4));
        assertThat(event.path("positive").path("any").asBoolean()).isEqualTo(any >= PhantomModels.THRESHOLD);
        assertThat(event.path("operatingPoint").path("thresholds").path("any").asDouble()).isEqualTo(PhantomModels.THRESHOLD);
        assertThat(event.path("keySlices").get(0).path("sopInstanceUid").asText()).isEqualTo(top);
        assertThat(event.path("keySlices").get(0).path("label").asText()).isEqualTo("any");
        assertThat(event.path("keySlices").get(0).path("sopClassUid").asText()).isEqualTo("1.2.840.10008.5.1.4.1.1.2");

        // The SR first, then a capture per key slice, each under results/<study>/<series>/, and prediction.json.
        List<String> results = new ArrayList<>();
        event.path("results").forEach(r -> results.add(r.asText()));
        assertThat(results).hasSize(1 + event.path("keySlices").size()).allMatch(k -> k.startsWith(ObjectKeys.results(uid)) && k.endsWith(".dcm"));
        Path sr = Files.write(dir.resolve("sr.dcm"), S3.get(results.get(0)));
        String tree = run("dsrdump", sr.toString());
        assertThat(tree).contains("Imaging Measurement Report").contains("UNVERIFIED").contains(PhantomModels.NAME);
        Path capture = Files.write(dir.resolve("sc.dcm"), S3.get(results.get(1)));
        assertThat(run("dcmdump", capture.toString())).contains("RGB").contains(top);
        JsonNode stored = Events.JSON.readTree(S3.get(ObjectKeys.prediction(uid)));
        assertThat(stored.path("results")).isEqualTo(event.path("results"));

        // The worklist: JSON, one picture, and the page a browser shows.
        await().atMost(Duration.ofSeconds(30)).until(() -> RestAssured.get("/triage/" + uid).statusCode() == 200);
        JsonNode entry = Events.JSON.readTree(RestAssured.given().accept("application/json").get("/triage").then().statusCode(200)
                .extract().asString());
        JsonNode mine = null;
        for (JsonNode e : entry) if (e.path("studyInstanceUid").asText().equals(uid)) mine = e;
        assertThat(mine).as("the worklist lists the study").isNotNull();
        assertThat(mine.path("flagged").asBoolean()).isEqualTo(any >= PhantomModels.THRESHOLD);
        String heatmap = mine.path("keySlices").get(0).path("heatmapPicture").asText();
        byte[] png = RestAssured.get(heatmap).then().statusCode(200).contentType("image/png").extract().asByteArray();
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(picture.getWidth()).isEqualTo(PhantomModels.SIZE);
        RestAssured.get("/triage/" + uid + "/pictures/" + top + "/any/elsewhere").then().statusCode(404)
                .contentType("application/problem+json");

        String html = RestAssured.given().accept("text/html").get("/triage").then().statusCode(200).contentType("text/html")
                .extract().asString();
        assertThat(html).contains(uid).contains("data:image/png;base64,").contains("unverified");
        assumeThat(Chromium.available()).as("chromium is not installed (./ich test installs it)").isTrue();
        Path page = Files.writeString(dir.resolve("triage.html"), html);
        BufferedImage shot = ImageIO.read(Chromium.screenshot(page.toUri(), dir.resolve("triage.png"), 1200, 700).toFile());
        assertThat(Chromium.nonBackgroundShare(shot)).as("the page shows its table and pictures").isGreaterThan(0.02);
        assertThat(Chromium.distinctColours(shot)).as("the heatmaps are in colour").isGreaterThan(50);
    }

    @Test
    @Order(2)
    void aStudyWhoseSlicesTheDropRuleRemovesIsNotTriagedAndSaysWhy() throws Exception {
        PhantomModels models = Served.atLeastV1();
        List<SliceTruth> outside = models.study(1).stream().filter(s -> s.brainWindowFraction() < 0.005).toList();
        assertThat(outside).isNotEmpty();
        String uid = outside.get(0).studyInstanceUid();
        store(outside);

        JsonNode event = triage(uid);

        assertThat(event.path("outcome").asText()).isEqualTo("no-kept-slice");
        assertThat(event.path("reason").asText()).contains("brain-window rule");
        assertThat(event.path("results")).isEmpty();
        assertThat(S3.list(ObjectKeys.results(uid))).extracting(o -> o.key()).containsExactly(ObjectKeys.prediction(uid));
    }

    @Test
    @Order(3)
    void aStudyWithNothingStoredIsUnreadableAndARecordThatIsNoCompletionIsADeadLetter() throws Exception {
        Served.atLeastV1();
        JsonNode event = triage("1.2.826.0.1.3680043.10.1137.999.1");
        assertThat(event.path("outcome").asText()).isEqualTo("unreadable");
        assertThat(event.path("reason").asText()).contains("no instance of the study is stored");

        try (TopicTap dlq = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.deadLetter(Topics.STUDY_COMPLETED));
             TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            producer.send(Topics.STUDY_COMPLETED, "x", "{this is not an event");
            producer.sendJson(Topics.STUDY_COMPLETED, "y", Map.of("studyInstanceUid", "../../etc"));
            await().atMost(Duration.ofSeconds(60)).until(() -> dlq.records().size() >= 2);
            assertThat(dlq.records()).extracting(r -> TopicTap.header(r, "dead-letter-reason"))
                    .anySatisfy(reason -> assertThat(reason).contains("not a StudyCompleted event"))
                    .anySatisfy(reason -> assertThat(reason).contains("StudyInstanceUID"));
        }
    }

    @Test
    @Order(4)
    void aModelWithoutAnOperatingPointGivesProbabilitiesButNoCallAndNoResult() throws Exception {
        PhantomModels models = Served.atLeastV1();
        assertThat(Served.version()).isEqualTo("v1");
        models.storeWithoutOperatingPoint("v6");
        try {
            PhantomModels.promote("v6");
            await().atMost(Duration.ofSeconds(90)).until(() -> "v6".equals(Served.version()));
            List<SliceTruth> study = models.study(0);
            JsonNode event = triage(study.get(0).studyInstanceUid());
            assertThat(event.path("outcome").asText()).isEqualTo("no-operating-point");
            assertThat(event.path("reason").asText()).contains("records no operating point");
            assertThat(event.path("probabilities").path("any").isNumber()).isTrue();
            assertThat(event.path("positive")).isEmpty();
            assertThat(event.path("results")).isEmpty();
        } finally {
            // What the later test classes expect: v1 serving.
            PhantomModels.promote("v1");
            await().atMost(Duration.ofSeconds(90)).until(() -> "v1".equals(Served.version()));
        }
        Management.given().get("/q/metrics").then().statusCode(200);
    }

    private static void store(List<SliceTruth> slices) {
        for (SliceTruth s : slices) {
            S3.put(ObjectKeys.raw(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid()), PhantomModels.bytes(s),
                    "application/dicom", Map.of());
        }
    }

    /** Announces the study as ingest does and returns the study-predicted record inference publishes for it. */
    private static JsonNode triage(String uid) throws Exception {
        try (TopicTap predicted = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.STUDY_PREDICTED);
             TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            Instant now = Instant.now();
            Instant sent = now;
            producer.sendJson(Topics.STUDY_COMPLETED, uid, new StudyCompleted(uid, "patient", 0, List.of(), now, now, now));
            await().atMost(Duration.ofSeconds(120)).until(() -> latest(predicted, uid, sent) != null);
            return Events.JSON.readTree(latest(predicted, uid, sent).value());
        }
    }

    private static ConsumerRecord<String, String> latest(TopicTap tap, String uid, Instant after) throws Exception {
        ConsumerRecord<String, String> found = null;
        for (ConsumerRecord<String, String> r : tap.records()) {
            if (!uid.equals(r.key())) continue;
            if (Instant.parse(Events.JSON.readTree(r.value()).path("predictedAt").asText()).isBefore(after)) continue;
            found = r;
        }
        return found;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
