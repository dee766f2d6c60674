package dev.ich.labeling;

import dev.ich.core.contract.Topics;
import dev.ich.core.dataset.DatasetSample;
import dev.ich.core.dataset.ShardReader;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.label.Label;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.CleanedPhantoms;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/** Given the phantom cohort and its labels, then a dataset version is frozen, split by patient, balanced, sharded and announced. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class DatasetsTest {

    private static int labels(CleanedPhantoms c) throws Exception {
        return RestAssured.given().contentType("text/csv").body(Files.readAllBytes(c.labelsCsv())).post("/labels").then()
                .statusCode(201).extract().jsonPath().getInt("version");
    }

    private static DatasetPublished publish(String body) {
        String id = RestAssured.given().contentType(ContentType.JSON).body(body).post("/datasets").then().statusCode(202)
                .extract().jsonPath().getString("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get("/datasets/" + id).then().statusCode(200).extract().<String>path("state").matches("succeeded|failed|interrupted"));
        String json = RestAssured.get("/datasets/" + id).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("succeeded"))
                .body("kind", org.hamcrest.Matchers.equalTo("dataset-build")).extract().jsonPath().prettify();
        try {
            return Events.JSON.treeToValue(Events.JSON.readTree(json).get("details").get("dataset"), DatasetPublished.class);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    @Test
    void aBalancedDatasetIsSplitByPatientShardedAndAnnounced() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        int version = labels(c);
        try (TopicTap published = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.DATASETS_PUBLISHED)) {
            DatasetPublished d = publish("{\"name\": \"any-balanced\", \"labels\": " + version
                    + ", \"split\": {\"valid\": 0.25, \"seed\": 7}}");
            assertThat(d.id()).startsWith("any-balanced@v");
            assertThat(d.task()).isEqualTo("any");
            assertThat(d.labelsVersion()).isEqualTo(version);
            assertThat(d.pipeline()).isEqualTo(c.pipeline().version().id());

            ObjectStore store = S3TestResource.store();
            Map<String, SliceTruth> truth = c.set().slices().stream().collect(Collectors.toMap(SliceTruth::sopInstanceUid, Function.identity()));
            Map<String, String> splitOfPatient = new HashMap<>();
            Map<String, Integer> samplesPerSplit = new HashMap<>();
            int positives = 0, negatives = 0;
            Set<String> seen = new HashSet<>();
            Map<String, Map<String, Object>> rows = c.events().stream().collect(Collectors.toMap(e -> e.sopInstanceUid(), e -> e.row(), (a, b) -> b));
            Set<String> pixelGroups = new HashSet<>();
            for (Map.Entry<String, List<String>> split : d.shards().entrySet()) {
                for (String key : split.getValue()) {
                    for (DatasetSample s : ShardReader.readAll(new ByteArrayInputStream(store.get(key)), key)) {
                        SliceTruth t = truth.get(s.uid());
                        assertThat(t).as(s.uid()).isNotNull();
                        assertThat(seen.add(s.uid())).as("each slice once").isTrue();
                        assertThat(s.patient()).isEqualTo(t.patientId());
                        for (Label l : Label.values()) assertThat(s.label(l)).as(l + " of " + s.uid()).isEqualTo(t.has(l) ? 1 : 0);
                        assertThat(s.png()).isEqualTo(store.get("clean/" + d.pipeline() + "/" + s.uid() + ".png"));
                        // the scanner group the metrics are broken down by, from the slice's own header
                        Map<String, Object> row = rows.get(s.uid());
                        assertThat(s.metadata()).as(s.uid()).containsEntry(dev.ich.core.dataset.SampleMetadata.PIXELS,
                                dev.ich.core.dataset.SampleMetadata.pixels(((Number) row.get("BitsStored")).intValue(),
                                        ((Number) row.get("PixelRepresentation")).intValue()));
                        pixelGroups.add(s.metadata().get(dev.ich.core.dataset.SampleMetadata.PIXELS));
                        String before = splitOfPatient.putIfAbsent(s.patient(), split.getKey());
                        assertThat(before == null || before.equals(split.getKey())).as("patient " + s.patient() + " in two splits").isTrue();
                        samplesPerSplit.merge(split.getKey(), 1, Integer::sum);
                        if (s.anyBleed()) positives++;
                        else negatives++;
                    }
                }
            }
            assertThat(pixelGroups).as("the phantoms' several BitsStored/PixelRepresentation groups").hasSizeGreaterThan(1);
            assertThat(positives).as("all positives and as many negatives").isEqualTo(negatives).isPositive();
            assertThat(samplesPerSplit.keySet()).containsExactlyInAnyOrder("train", "valid");
            assertThat(d.counts().get("train").get("slices")).isEqualTo((long) samplesPerSplit.get("train"));
            assertThat(d.counts().get("valid").get("slices")).isEqualTo((long) samplesPerSplit.get("valid"));
            assertThat(d.counts().get("train").get("any") + d.counts().get("valid").get("any")).isEqualTo(positives);
            // every positive that qualifies (kept, pct >= 0.02) is in
            long qualifyingPositives = c.events().stream().filter(e -> e.kept() && truth.get(e.sopInstanceUid()).has(Label.ANY)).count();
            assertThat(positives).isEqualTo(qualifyingPositives);

            Path manifest = Files.createTempFile("manifest", ".parquet");
            Files.write(manifest, store.get(d.manifestKey()));
            try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                 ResultSet rs = db.createStatement().executeQuery("SELECT count(*), count(DISTINCT uid), "
                         + "(SELECT count(*) FROM (SELECT patient FROM read_parquet('" + manifest + "') GROUP BY patient HAVING count(DISTINCT split) > 1)), "
                         + "sum(\"any\") FROM read_parquet('" + manifest + "')")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(seen.size());
                assertThat(rs.getLong(2)).isEqualTo(seen.size());
                assertThat(rs.getLong(3)).as("patients in two splits").isZero();
                assertThat(rs.getLong(4)).isEqualTo(positives);
            }
            ConsumerRecord<String, String> event = await().atMost(Duration.ofSeconds(30))
                    .until(() -> published.records().stream().filter(r -> d.id().equals(r.key())).findFirst(), java.util.Optional::isPresent).get();
            assertThat(TopicTap.header(event, "ce_type")).isEqualTo(DatasetPublished.TYPE);
            assertThat(Events.JSON.readValue(event.value(), DatasetPublished.class).shards()).isEqualTo(d.shards());
        }
        // a second version of the same name is a new, separate version
        DatasetPublished again = publish("{\"name\": \"any-balanced\", \"labels\": " + version + "}");
        assertThat(again.version()).isNotEqualTo("v1");
        assertThat(RestAssured.get("/datasets").then().statusCode(200).extract().jsonPath().getList("", String.class))
                .contains(again.id());
    }

    @Test
    void multilabelKeepsEveryQualifyingSlice() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        labels(c);
        DatasetPublished d = publish("{\"name\": \"multilabel-all\", \"task\": \"multilabel\"}");
        long slices = d.counts().values().stream().mapToLong(m -> m.get("slices")).sum();
        assertThat(slices).isEqualTo(c.events().stream().filter(e -> e.kept()).count());
        assertThat(d.spec()).containsEntry("balance", "none");
    }

    @Test
    void badSpecsAreRefusedWithReasons() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        labels(c);
        RestAssured.given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"filter\": {\"minPctWindow\": 2.0}}").post("/datasets")
                .then().statusCode(400).body("detail", containsString("selects no slice"));
        RestAssured.given().contentType(ContentType.JSON).body("{\"name\": \"Bad Name\"}").post("/datasets").then().statusCode(400)
                .body("detail", containsString("lower-case"));
        RestAssured.given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"labels\": 999}").post("/datasets").then()
                .statusCode(404).body("detail", containsString("999"));
        RestAssured.given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"task\": \"regression\"}").post("/datasets").then()
                .statusCode(400).body("detail", containsString("task"));
        RestAssured.given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"split\": {\"by\": \"slice\"}}").post("/datasets").then()
                .statusCode(400).body("detail", containsString("patient"));
        RestAssured.get("/datasets/nothing@v9").then().statusCode(404).body("detail", containsString("nothing@v9"));
        RestAssured.given().contentType(ContentType.JSON).body("{\"name\": \"x\", \"splt\": {}}").post("/datasets").then()
                .statusCode(400).body("detail", containsString("splt"));
        RestAssured.given().contentType(ContentType.JSON).body("{not json").post("/datasets").then().statusCode(400)
                .body("detail", containsString("not valid JSON"));
    }
}
