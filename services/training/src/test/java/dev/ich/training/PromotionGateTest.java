package dev.ich.training;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.core.event.ModelPublished;
import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.Chromium;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The promotion gate over real S3 and Kafka: with a model serving, a candidate worse on one label's AUC or operating
 * sensitivity beyond the tolerance (0.02, the default) is refused naming each metric; within it, promoted; an override
 * with a reason promotes it, recorded in serving.json, the answer and the audit record; a blank reason is a 400. Older
 * model.json files without calibration and lineage are compared where they can be. The model card as JSON and as a
 * page a browser draws.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class PromotionGateTest {
    /** Kept for people to look at after a test run. */
    static final Path KEPT = Path.of("target", "report-screenshots", "model-card.png");

    @TestHTTPResource("/")
    URL base;

    @TempDir
    Path dir;

    private final ObjectStore store = S3TestResource.store();
    private byte[] servingBefore;

    @BeforeEach
    void serveTheBaseline() throws Exception {
        servingBefore = ModelFixtures.setServingAside(store);
        // serving: AUC any 0.90, epidural 0.80, sensitivity any 0.92 (calibrated, with lineage)
        ModelFixtures.put(store, ModelFixtures.model("gate-base", 0.90, 0.80, 0.92, true));
        given().post("/models/gate-base/versions/v1/promote").then().statusCode(200).body("override", nullValue());
    }

    @AfterEach
    void putServingBack() {
        ModelFixtures.putServingBack(store, servingBefore);
    }

    @Test
    void aCandidateWorseOnOneLabelsAucIsRefusedNamingTheMetric() throws Exception {
        ModelFixtures.put(store, ModelFixtures.model("gate-worse-auc", 0.91, 0.71, 0.93, true));
        given().post("/models/gate-worse-auc/versions/v1/promote").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("PromotionGateFailed"))
                .body("detail", containsString("metrics.auc_epidural 0.7100 vs 0.8000 serving"))
                .body("detail", containsString("tolerance 0.02"))
                .body("detail", containsString("serving model gate-base v1"))
                .body("detail", not(containsString("auc_any")))
                .body("detail", not(containsString("sensitivity 0.")));
        assertThat(serving().name()).isEqualTo("gate-base");
    }

    @Test
    void everyFailingMetricIsNamedSensitivityToo() throws Exception {
        ModelFixtures.put(store, ModelFixtures.model("gate-worse-two", 0.85, 0.80, 0.80, false));
        given().post("/models/gate-worse-two/versions/v1/promote").then().statusCode(409)
                .body("detail", containsString("metrics.auc_any 0.8500 vs 0.9000 serving"))
                .body("detail", containsString("operatingPoint.any.sensitivity 0.8000 vs 0.9200 serving"))
                .body("detail", not(containsString("auc_epidural")));
    }

    @Test
    void withinTheToleranceIsPromotedWithoutABody() throws Exception {
        // 0.02 lower on both AUCs and on the sensitivity: exactly the tolerance, so not worse beyond it
        ModelFixtures.put(store, ModelFixtures.model("gate-within", 0.88, 0.78, 0.90, false));
        given().post("/models/gate-within/versions/v1/promote").then().statusCode(200).body("name", equalTo("gate-within"))
                .body("override", nullValue());
        assertThat(serving().name()).isEqualTo("gate-within");
        assertThat(serving().override()).isNull();
        // {} is the same request as none
        ModelFixtures.put(store, ModelFixtures.model("gate-within-again", 0.87, 0.77, 0.89, false));
        given().contentType(ContentType.JSON).body("{}").post("/models/gate-within-again/versions/v1/promote").then().statusCode(200);
    }

    @Test
    void anOlderModelJsonIsComparedOnlyOnWhatBothRecord() throws Exception {
        Map<String, Object> older = new java.util.LinkedHashMap<>(Map.of("name", "gate-older", "version", "v1", "architecture", "resnet18",
                "dataset", "gate-phantoms@v1", "metrics", Map.of("accuracy", 0.5, "auc_any", 0.95),
                "preprocessing", Map.of("pipeline", ModelFixtures.PIPELINE)));
        ModelFixtures.put(store, older);
        JsonPath listed = given().get("/models/gate-older").then().statusCode(200).extract().jsonPath();
        assertThat(listed.getMap("versions[0]")).doesNotContainKeys("calibration", "lineage", "operatingPoint");
        // auc_epidural and the operating points are the serving model's alone: only auc_any is compared
        given().post("/models/gate-older/versions/v1/promote").then().statusCode(200);
        JsonPath card = given().get("/models/gate-older/versions/v1/card").then().statusCode(200).extract().jsonPath();
        assertThat(card.getList("limitations", String.class)).anyMatch(l -> l.contains("not calibrated"))
                .anyMatch(l -> l.contains("No lineage is recorded")).anyMatch(l -> l.contains("No operating point is recorded for any"));
        assertThat(card.<Object>get("calibration")).isNull();
    }

    @Test
    void anOverrideWithAReasonPromotesAndIsRecordedAndAudited() throws Exception {
        ModelFixtures.put(store, ModelFixtures.model("gate-overridden", 0.91, 0.70, 0.93, true));
        String admin = OidcTestResource.token("ich-model-admin");
        String reason = "epidural AUC drop accepted: ticket ICH-" + System.nanoTime() + ", the new labels are the reviewed ones";
        try (TopicTap audit = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.AUDIT)) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"override\": {\"reason\": \"  \"}}")
                    .post("/models/gate-overridden/versions/v1/promote").then().statusCode(400).body("field", equalTo("override.reason"));
            given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"override\": {}}")
                    .post("/models/gate-overridden/versions/v1/promote").then().statusCode(400).body("field", equalTo("override.reason"));
            given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"override\": {\"reasons\": \"x\"}}")
                    .post("/models/gate-overridden/versions/v1/promote").then().statusCode(400).body("field", containsString("reasons"));
            assertThat(serving().name()).isEqualTo("gate-base");

            JsonPath promoted = given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("override", Map.of("reason", reason))).post("/models/gate-overridden/versions/v1/promote")
                    .then().statusCode(200).body("override.reason", equalTo(reason))
                    .body("override.failed", hasItem("metrics.auc_epidural 0.7000 vs 0.8000 serving")).extract().jsonPath();
            String by = promoted.getString("override.by");
            assertThat(by).isNotBlank();
            ModelPublished pointer = serving();
            assertThat(pointer.name()).isEqualTo("gate-overridden");
            assertThat(pointer.override().reason()).isEqualTo(reason);
            assertThat(pointer.override().by()).isEqualTo(by);
            assertThat(pointer.override().failed()).containsExactly("metrics.auc_epidural 0.7000 vs 0.8000 serving");

            ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(30)).until(() -> audit.records().stream()
                    .filter(r -> r.value().contains(reason) && r.value().contains("\"status\":200")).findFirst(),
                    Optional::isPresent).orElseThrow();
            JsonNode r = Events.JSON.readTree(record.value());
            assertThat(r.path("action").asText()).isEqualTo("POST /models/{name}/versions/{version}/promote");
            assertThat(r.path("agent").path("subject").asText()).isEqualTo(by);
            assertThat(r.path("entities").path("override.reason")).extracting(JsonNode::asText).containsExactly(reason);
            assertThat(r.path("entities").path("override.failed")).extracting(JsonNode::asText)
                    .containsExactly("metrics.auc_epidural 0.7000 vs 0.8000 serving");
            assertThat(r.path("entities").path("name")).extracting(JsonNode::asText).containsExactly("gate-overridden");
        }
    }

    @Test
    void theRegistryListsCalibrationAndLineage() {
        JsonPath m = given().get("/models/gate-base").then().statusCode(200).extract().jsonPath();
        assertThat(m.getDouble("versions[0].calibration.temperature.any")).isEqualTo(1.31);
        assertThat(m.getDouble("versions[0].calibration.ece.after.epidural")).isEqualTo(0.047);
        assertThat(m.getString("versions[0].lineage.datasetDigest")).isEqualTo("sha256:" + "ab".repeat(32));
        assertThat(m.getString("versions[0].lineage.code.commit")).isEqualTo("0123456789abcdef0123456789abcdef01234567");
    }

    @Test
    void theCardAsJson() {
        JsonPath card = given().accept(ContentType.JSON).get("/models/gate-base/versions/v1/card").then().statusCode(200)
                .contentType(containsString("application/json")).extract().jsonPath();
        assertThat(card.getString("intendedUse.purpose")).contains("Triage support for intracranial hemorrhage on non-contrast head CT");
        assertThat(card.getList("intendedUse.outOfScope", String.class)).anyMatch(s -> s.startsWith("Diagnosis"));
        assertThat(card.getBoolean("serving")).isTrue();
        assertThat(card.getString("data.dataset")).isEqualTo("gate-phantoms@v1");
        assertThat(card.getInt("data.labelsVersion")).isEqualTo(3);
        assertThat(card.getString("data.pipeline")).isEqualTo(ModelFixtures.PIPELINE);
        assertThat(card.getString("data.lineage.datasetDigest")).startsWith("sha256:");
        assertThat(card.getList("metrics.label", String.class)).containsExactly("any", "epidural");
        assertThat(card.getDouble("metrics[0].auc")).isEqualTo(0.90);
        assertThat(card.getDouble("metrics[1].operatingPoint.sensitivity")).isEqualTo(0.83);
        assertThat(card.getList("metrics[1].operatingPoint.sensitivityCi", Double.class)).containsExactly(0.55, 0.95);
        assertThat(card.getDouble("calibration.labels[0].eceBefore")).isEqualTo(0.081);
        assertThat(card.getDouble("calibration.labels[0].eceAfter")).isEqualTo(0.024);
        assertThat(card.getDouble("calibration.labels[1].temperature")).isEqualTo(0.92);
        assertThat(card.getList("limitations", String.class))
                .anyMatch(l -> l.contains("phantom") && l.contains("demonstration"))
                .anyMatch(l -> l.contains("No subgroup"))
                .anyMatch(l -> l.contains("Fewer than 30 validation positives for epidural (12)"))
                .noneMatch(l -> l.contains("not calibrated"));
        given().get("/models/gate-base/versions/v9/card").then().statusCode(404);
        given().get("/models/gate-base/versions/Not_A_Version/card").then().statusCode(400);
        given().auth().oauth2(OidcTestResource.token("ich-reader")).get("/models/gate-base/versions/v1/card").then().statusCode(200);
        given().auth().oauth2(OidcTestResource.token("ich-clinician")).get("/models/gate-base/versions/v1/card").then().statusCode(403);
    }

    @Test
    void theCardShowsMetricsBySubgroupAndTheTrainersOperatingPointLayout() throws Exception {
        Map<String, Object> m = new java.util.LinkedHashMap<>(ModelFixtures.model("gate-subgroups", 0.91, 0.81, 0.93, true));
        Map<String, Object> metrics = new java.util.LinkedHashMap<>(Map.of("accuracy", 0.87, "auc_any", 0.91, "auc_epidural", 0.81));
        // Written in the order the card must not keep: it sorts by group and value.
        Map<String, Object> pixels = new java.util.LinkedHashMap<>();
        pixels.put("16 bit / signed", Map.of("count", 80, "labels", Map.of("any", Map.of("positives", 12, "auc", 0.84, "threshold", 0.37,
                "sensitivity", 0.75, "sensitivityCi95", List.of(0.47, 0.91)))));
        pixels.put("12 bit / unsigned", Map.of("count", 120, "labels", Map.of("any", Map.of("positives", 40, "auc", 0.93, "threshold", 0.37,
                "sensitivity", 0.95, "sensitivityCi95", List.of(0.83, 0.99), "specificity", 0.70, "specificityCi95", List.of(0.59, 0.79)))));
        metrics.put("subgroups", Map.of("pixels", pixels));
        m.put("metrics", metrics);
        // as the trainer writes it: the labels' points under "labels", the intervals as ...Ci95
        m.put("operatingPoint", Map.of("targetSensitivity", 0.95, "chosenOn", "validation", "labels", Map.of(
                "any", Map.of("threshold", 0.37, "sensitivity", 0.93, "sensitivityCi95", List.of(0.86, 0.97), "positives", 52, "negatives", 148))));
        ModelFixtures.put(store, m);

        JsonPath card = given().accept(ContentType.JSON).get("/models/gate-subgroups/versions/v1/card").then().statusCode(200).extract().jsonPath();
        assertThat(card.getList("subgroups.value", String.class)).containsExactly("12 bit / unsigned", "16 bit / signed");
        assertThat(card.getList("subgroups.group", String.class)).containsOnly("pixels");
        assertThat(card.getDouble("subgroups[1].sensitivity")).isEqualTo(0.75);
        assertThat(card.getList("subgroups[1].sensitivityCi", Double.class)).containsExactly(0.47, 0.91);
        assertThat(card.<Object>get("subgroups[1].specificity")).isNull();
        assertThat(card.getMap("otherMetrics")).doesNotContainKey("subgroups");
        assertThat(card.getDouble("metrics[0].operatingPoint.sensitivity")).isEqualTo(0.93);
        assertThat(card.getList("metrics[0].operatingPoint.sensitivityCi", Double.class)).containsExactly(0.86, 0.97);
        assertThat(card.getList("limitations", String.class)).anyMatch(l -> l.startsWith("Subgroups evaluated: pixels"))
                .noneMatch(l -> l.contains("No subgroup"));
        String html = given().accept("text/html").get("/models/gate-subgroups/versions/v1/card").then().statusCode(200).extract().asString();
        assertThat(html).contains("<h2>Metrics by subgroup</h2>").contains("16 bit / signed").contains("0.750 (0.470–0.910)").contains("0.840");
        // the gate reads the trainer's layout too: sensitivity any 0.93 against the serving 0.92 passes, and 0.80 would not
        m.put("operatingPoint", Map.of("targetSensitivity", 0.95, "labels", Map.of("any", Map.of("threshold", 0.37, "sensitivity", 0.80))));
        m.put("version", "v2");
        ModelFixtures.put(store, m);
        given().post("/models/gate-subgroups/versions/v2/promote").then().statusCode(409)
                .body("detail", containsString("operatingPoint.any.sensitivity 0.8000 vs 0.9200"));
    }

    @Test
    void theCardAsAPageABrowserDraws() throws Exception {
        String html = given().accept("text/html").get("/models/gate-base/versions/v1/card").then().statusCode(200)
                .contentType(containsString("text/html")).extract().asString();
        assertThat(html).contains("<h1>Model card: gate-base v1").contains("Intended use").contains("it does not diagnose")
                .contains("0.900").contains("0.800").contains("0.920 (0.850–0.960)").contains("0.830 (0.550–0.950)")
                .contains("1.310").contains("0.081").contains("0.024").contains("sha256:" + "ab".repeat(32)).contains("gate-phantoms@v1")
                .contains("Fewer than 30 validation positives");
        assumeTrue(Chromium.available(), "chromium is not installed (apt-get install chromium; ./ich installs it): screenshot skipped");
        // the page is self-contained; the browser reads the copy the service served (it sends no bearer token)
        Path page = Files.writeString(dir.resolve("card.html"), html);
        Path png = Chromium.screenshot(page.toUri(), dir.resolve("card.png"), 1200, 1600);
        BufferedImage shot = ImageIO.read(png.toFile());
        assertThat(shot.getWidth()).isEqualTo(1200);
        assertThat(shot.getHeight()).isEqualTo(1600);
        // tables, the coloured boxes and text: a blank page is ~0, and a page the styles did not reach has 2-3 colours
        assertThat(Chromium.nonBackgroundShare(shot)).isGreaterThan(0.05);
        assertThat(Chromium.distinctColours(shot)).isGreaterThan(50);
        Files.createDirectories(KEPT.getParent());
        Files.copy(png, KEPT, StandardCopyOption.REPLACE_EXISTING);
    }

    private ModelPublished serving() throws Exception {
        return Events.JSON.readValue(store.get(ObjectKeys.SERVING_MODEL), ModelPublished.class);
    }
}
