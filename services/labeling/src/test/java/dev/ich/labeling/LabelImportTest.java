package dev.ich.labeling;

import dev.ich.core.clean.PipelineVersion;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.SliceCleaned;
import dev.ich.core.label.Label;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.CleanedPhantoms;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Given the phantom cohort's label file, with and without every kind of mistake, then imports report what they did. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class LabelImportTest {

    @Test
    void theCohortsOwnLabelFileImportsCleanlyAsANewVersion() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        JsonPath report = RestAssured.given().contentType("text/csv").body(Files.readAllBytes(c.labelsCsv()))
                .queryParam("source", "labels.csv").post("/labels").then().statusCode(201).extract().jsonPath();
        int version = report.getInt("version");
        assertThat(report.getLong("slices")).isEqualTo(c.set().slices().size());
        assertThat(report.getLong("rows")).isEqualTo(6L * c.set().slices().size());
        assertThat(report.getLong("positives")).isEqualTo(c.set().positives(Label.ANY));
        assertThat(report.getList("problems")).isEmpty();
        // persisted for a fresh volume
        assertThat(S3TestResource.store().stat(ObjectKeys.labels(version) + "labels.parquet")).isPresent();
        RestAssured.get("/labels/" + version).then().statusCode(200).body("slices", equalTo(c.set().slices().size()));
        // joined: the slice's labels come back with its row
        SliceTruth positive = c.set().slices().stream().filter(t -> t.has(Label.ANY)).findFirst().orElseThrow();
        RestAssured.given().queryParam("labels", version).queryParam("patient", positive.patientId()).queryParam("label", "any")
                .queryParam("limit", 100).get("/slices").then().statusCode(200)
                .body("rows.find { it.uid == '" + positive.sopInstanceUid() + "' }.label_any", equalTo(1));
    }

    @Test
    void aSliceWithTheRsnaDataSetsIdJoinsItsLabelsOnTheHexDigits() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        // the real stage_2_train: SOPInstanceUID ID_000012eaf, its labels ID_000012eaf_<label>
        String uid = "ID_00001eaf5";
        SliceCleaned e = c.events().stream().filter(SliceCleaned::kept).findFirst().orElseThrow();
        Map<String, Object> row = new LinkedHashMap<>(e.row());
        row.put("SOPInstanceUID", uid);
        row.put("StudyInstanceUID", "ID_1e4b0b9b64");
        row.put("SeriesInstanceUID", "ID_04aab1f7cb");
        row.put("PatientID", "ID_9a4bf6a2");
        SliceCleaned rsna = new SliceCleaned(uid, "ID_1e4b0b9b64", "ID_04aab1f7cb", e.pipeline(), true, null,
                ObjectKeys.clean(new PipelineVersion(e.pipeline()), uid), null, row);
        StringBuilder csv = new StringBuilder("ID,Label\n");
        for (Label l : Label.values()) {
            csv.append(uid).append('_').append(l.csvName()).append(',').append(l == Label.SUBDURAL || l == Label.ANY ? 1 : 0).append('\n');
        }
        try (TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            producer.sendJson(Topics.SLICES_CLEANED, uid, rsna);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get("/slices/" + uid).then().statusCode(200)
                    .body("slice_id", equalTo("00001eaf5")).body("PatientID", equalTo("ID_9a4bf6a2")));

            JsonPath report = RestAssured.given().contentType("text/csv").body(csv.toString()).post("/labels").then()
                    .statusCode(201).body("slices", equalTo(1)).extract().jsonPath();
            int version = report.getInt("version");
            assertThat(report.getList("problems")).as("the slice is in the table: not NOT_INGESTED").isEmpty();
            RestAssured.given().queryParam("labels", version).get("/slices").then().statusCode(200)
                    .body("total", equalTo(1)).body("rows[0].uid", equalTo(uid))
                    .body("rows[0].label_subdural", equalTo(1)).body("rows[0].label_any", equalTo(1))
                    .body("rows[0].label_epidural", equalTo(0));

            // leave the shared table and label versions as the other tests expect them
            RestAssured.delete("/labels/" + version).then().statusCode(204);
            producer.send(Topics.SLICES_CLEANED, uid, null); // compaction's tombstone
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get("/slices/" + uid).then().statusCode(404));
        }
        RestAssured.given().queryParam("limit", 1).get("/slices").then().body("total", equalTo(c.events().size()));
    }

    @Test
    void aDeletedVersionsNumberIsNeverGivenAgain() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        byte[] csv = Files.readAllBytes(c.labelsCsv());
        int deleted = RestAssured.given().contentType("text/csv").body(csv).post("/labels").then().statusCode(201)
                .extract().jsonPath().getInt("version");
        // the newest version deleted: max(existing) + 1 would hand its number to the next upload
        RestAssured.delete("/labels/" + deleted).then().statusCode(204);
        RestAssured.get("/labels/" + deleted).then().statusCode(404);
        int next = RestAssured.given().contentType("text/csv").body(csv).post("/labels").then().statusCode(201)
                .extract().jsonPath().getInt("version");
        assertThat(next).isEqualTo(deleted + 1);
        assertThat(RestAssured.get("/labels").then().statusCode(200).extract().jsonPath().getList("version", Integer.class))
                .contains(next).doesNotContain(deleted);
        // the mark outlives the service's own database: a fresh volume or another replica numbers above it too
        assertThat(new String(S3TestResource.store().get(ObjectKeys.LABELS_HIGH_WATER), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"highest\": " + next);
    }

    @Test
    void everyKindOfMistakeIsCountedWithExamplesAndTheGoodRowsStillImport() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        SliceTruth a = c.set().slices().get(0);
        StringBuilder csv = new StringBuilder(Files.readString(c.labelsCsv()));
        csv.append("this line is not a label\n");                               // malformed
        csv.append("ID_").append(a.sopInstanceUid()).append("_bleeding,1\n");   // unknown label
        csv.append("ID_").append(a.sopInstanceUid()).append("_epidural,2\n");   // bad value
        csv.append("ID_").append(a.sopInstanceUid()).append("_epidural,").append(a.has(Label.EPIDURAL) ? 1 : 0).append('\n'); // exact duplicate
        csv.append("ID_").append(a.sopInstanceUid()).append("_subdural,").append(a.has(Label.SUBDURAL) ? 0 : 1).append('\n'); // conflict
        csv.append("ID_7.7.7_epidural,0\nID_7.7.7_any,0\n");                     // incomplete slice
        for (Label l : Label.values()) csv.append("ID_8.8.8_").append(l.csvName()).append(',').append(l == Label.SUBDURAL ? 1 : 0).append('\n'); // any disagrees, not ingested
        JsonPath report = RestAssured.given().contentType("text/csv").body(csv.toString()).post("/labels").then().statusCode(201)
                .extract().jsonPath();
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (Map<String, Object> p : report.<Map<String, Object>>getList("problems")) {
            counts.put((String) p.get("kind"), ((Number) p.get("count")).intValue());
            assertThat((List<?>) p.get("examples")).isNotEmpty();
            assertThat((String) p.get("meaning")).isNotBlank();
        }
        assertThat(counts).containsEntry("MALFORMED_LINE", 1).containsEntry("UNKNOWN_LABEL", 1).containsEntry("BAD_VALUE", 1)
                .containsEntry("CONFLICTING_DUPLICATE", 1).containsEntry("INCOMPLETE_SLICE", 1)
                .containsEntry("NOT_INGESTED", 1); // 8.8.8 (7.7.7 is incomplete, so not stored)
        // a's flipped subdural makes its any disagree too, unless another subtype is set
        assertThat(counts.get("ANY_DISAGREES")).isBetween(1, 2);
        assertThat(report.getLong("duplicates")).isEqualTo(1);
        assertThat(report.getLong("slices")).isEqualTo(c.set().slices().size() + 1L);
        assertThat(report.getString("problems.find { it.kind == 'MALFORMED_LINE' }.examples[0]"))
                .startsWith("line " + (6 * c.set().slices().size() + 2) + ": this line");
    }

    @Test
    void filesThatCannotBeLabelFilesAreRefusedWithAReason() {
        RestAssured.given().contentType("text/csv").body("").post("/labels").then().statusCode(400)
                .body("detail", containsString("empty"));
        RestAssured.given().contentType("text/csv").body("uid,label\n1,2\n").post("/labels").then().statusCode(400)
                .body("detail", containsString("ID,Label"));
        RestAssured.given().contentType("text/csv").body("ID,Label\n").post("/labels").then().statusCode(400)
                .body("detail", containsString("no label lines"));
        RestAssured.given().contentType("text/csv").body("ID,Label\ngarbage\nID_1.2_epidural,1\n").post("/labels").then()
                .statusCode(400).body("detail", containsString("no slice"));
        RestAssured.get("/labels/999").then().statusCode(404).body("detail", containsString("999"));
    }
}
