package dev.ich.labeling;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.SliceCleaned;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.CleanedPhantoms;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/** Given phantom rows on slices-cleaned, then the table holds exactly one row per slice with the row's values. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class MetadataTableTest {

    @Test
    void everyRowLandsOnceWithItsColumnsAndFilters() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        SliceTruth first = c.set().slices().get(0);
        Map<String, Object> row = RestAssured.get("/slices/" + first.sopInstanceUid()).then().statusCode(200)
                .extract().jsonPath().getMap("");
        SliceCleaned event = c.events().get(0);
        assertThat(row).containsEntry("uid", first.sopInstanceUid()).containsEntry("PatientID", first.patientId())
                .containsEntry("kept", event.kept()).containsKey("BitsStored").containsKey("fname");
        assertThat(((Number) row.get("img_pct_window")).doubleValue()).isEqualTo(((Number) event.row().get("img_pct_window")).doubleValue());

        long kept = c.events().stream().filter(SliceCleaned::kept).count();
        RestAssured.given().queryParam("kept", true).queryParam("limit", 1).get("/slices").then().statusCode(200)
                .body("total", equalTo((int) kept));
        long unreadable = c.events().stream().filter(e -> e.error() != null).count();
        assertThat(unreadable).as("the cohort includes a short-PixelData slice").isPositive();
        RestAssured.given().queryParam("drop_reason", SliceCleaned.UNREADABLE).get("/slices").then().statusCode(200)
                .body("total", equalTo((int) unreadable)).body("rows[0].error_problem", equalTo("ShortPixelData"));
        RestAssured.given().queryParam("patient", first.patientId()).queryParam("columns", "uid,PatientID").get("/slices")
                .then().statusCode(200).body("total", equalTo(12)).body("rows[0].size()", equalTo(2));
        RestAssured.given().queryParam("where", "BitsStored:12").queryParam("limit", 1).get("/slices").then().statusCode(200)
                .body("total", greaterThan(0));
    }

    @Test
    void aRepublishedRowReplacesTheOldOneAndNewKeywordsBecomeColumns() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        SliceCleaned e = c.events().get(1);
        // BitsStored 16.5, a type change: the column widens to DOUBLE rather than failing
        SliceCleaned again = withRow(e, Map.of("ManufacturerModelName", "Phantom 3000", "BitsStored", 16.5));
        try (TopicTap.Producer p = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            p.sendJson(Topics.SLICES_CLEANED, e.sopInstanceUid(), again);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get("/slices/" + e.sopInstanceUid()).then()
                .body("ManufacturerModelName", equalTo("Phantom 3000")));
        RestAssured.given().queryParam("limit", 1).get("/slices").then().body("total", equalTo(c.events().size()));
        // put it back as it was, for the other tests
        try (TopicTap.Producer p = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            p.sendJson(Topics.SLICES_CLEANED, e.sopInstanceUid(), e);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get("/slices/" + e.sopInstanceUid()).then()
                .body("BitsStored", equalTo(((Number) e.row().get("BitsStored")).floatValue())));
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheRestGoesOn() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        try (TopicTap.Producer p = new TopicTap.Producer(KafkaTestResource.bootstrapServers());
             TopicTap dlq = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.deadLetter(Topics.SLICES_CLEANED))) {
            p.send(Topics.SLICES_CLEANED, "1.2.3", "{not json");
            p.send(Topics.SLICES_CLEANED, "9.9.9", "{\"sopInstanceUid\":\"../etc/passwd\"}");
            List<ConsumerRecord<String, String>> dead = await().atMost(Duration.ofSeconds(30)).until(dlq::records, r -> r.size() >= 2);
            assertThat(dead).extracting(r -> TopicTap.header(r, "dead-letter-reason"))
                    .anySatisfy(reason -> assertThat(reason).contains("not a slices-cleaned row"))
                    .anySatisfy(reason -> assertThat(reason).contains("SOPInstanceUID"));
        }
        RestAssured.given().queryParam("limit", 1).get("/slices").then().body("total", equalTo(c.events().size()));
    }

    @Test
    void theWholeTableDownloadsAsParquet() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        byte[] parquet = RestAssured.get("/slices.parquet").then().statusCode(200).extract().asByteArray();
        assertThat(new String(parquet, 0, 4)).isEqualTo("PAR1");
        java.nio.file.Path f = java.nio.file.Files.createTempFile("slices", ".parquet");
        java.nio.file.Files.write(f, parquet);
        try (var conn = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             var rs = conn.createStatement().executeQuery("SELECT count(*), count(DISTINCT uid) FROM read_parquet('" + f + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(c.events().size());
            assertThat(rs.getLong(2)).isEqualTo(c.events().size());
        }
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        RestAssured.given().queryParam("limit", 0).get("/slices").then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("limit"));
        RestAssured.given().queryParam("where", "NoSuchColumn:1").get("/slices").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("NoSuchColumn"));
        RestAssured.get("/slices/1.2.3.4.5").then().statusCode(404);
    }

    @Test
    void aRowSentAgainWithItsCloudEventsIdIsWrittenOnce() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        SliceCleaned e = c.events().get(2);
        SliceCleaned row = withRow(e, Map.of("ManufacturerModelName", "Repeat 1"));
        String id = java.util.UUID.randomUUID().toString();
        try (TopicTap.Producer p = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            p.sendEvent(Topics.SLICES_CLEANED, e.sopInstanceUid(), row, SliceCleaned.TYPE, id);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get("/slices/" + e.sopInstanceUid()).then()
                    .body("ManufacturerModelName", equalTo("Repeat 1")));
            double written = Management.metric("ich_labeling_rows_total", "");
            double repeats = Management.metric("ich_events_repeated_total", "topic=\"slices-cleaned\"");

            // cleaning's publish tried again: the same event, same key, same id
            p.sendEvent(Topics.SLICES_CLEANED, e.sopInstanceUid(), row, SliceCleaned.TYPE, id);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    Management.metric("ich_events_repeated_total", "topic=\"slices-cleaned\"") == repeats + 1);
            assertThat(Management.metric("ich_labeling_rows_total", "")).as("rows written").isEqualTo(written);

            // put it back as it was, for the other tests (a new event)
            p.sendJson(Topics.SLICES_CLEANED, e.sopInstanceUid(), e);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get("/slices/" + e.sopInstanceUid()).then()
                .body("ManufacturerModelName", equalTo(e.row().get("ManufacturerModelName"))));
    }

    /** The event again with these columns of its row changed or added. */
    private static SliceCleaned withRow(SliceCleaned e, Map<String, Object> changes) {
        Map<String, Object> row = new LinkedHashMap<>(e.row());
        row.putAll(changes);
        return new SliceCleaned(e.sopInstanceUid(), e.studyInstanceUid(), e.seriesInstanceUid(), e.pipeline(), e.kept(), e.dropReason(),
                e.cleanedKey(), e.error(), row);
    }
}
