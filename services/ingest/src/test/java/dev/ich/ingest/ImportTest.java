package dev.ich.ingest;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class ImportTest {

    @Test
    void anArchiveCopiedIntoTheBucketIsImportedAndAJunkObjectIsReportedNotFatal() {
        ObjectStore s3 = S3TestResource.store();
        List<SliceTruth> slices = Fixtures.study(301).slices();
        for (SliceTruth s : slices) s3.put("imports/x/" + s.sopInstanceUid() + ".dcm", Fixtures.bytes(s), "application/dicom", Map.of());
        s3.put("imports/x/README.txt", "not an image".getBytes(), "text/plain", Map.of());
        // one instance arrived earlier by STOW: the import must call it a duplicate, not fail
        given().contentType("application/dicom").body(Fixtures.bytes(slices.get(0))).post("/instances").then().statusCode(200);

        String id = given().contentType("application/json").body(Map.of("bucket", "ich", "prefix", "imports/x/"))
                .when().post("/imports").then().statusCode(202).extract().path("id");

        await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(status(id).getString("state")));
        JsonPath done = status(id);
        assertThat(done.getLong("seen")).isEqualTo(slices.size() + 1);
        assertThat(done.getLong("stored")).isEqualTo(slices.size() - 1);
        assertThat(done.getLong("duplicate")).isEqualTo(1);
        assertThat(done.getLong("failed")).isEqualTo(1);
        assertThat(done.getDouble("progress")).isEqualTo(1.0);
        assertThat(done.getString("failures[0].key")).isEqualTo("imports/x/README.txt");
        assertThat(done.getString("failures[0].reason")).startsWith("NotDicom: not a DICOM file");
        assertThat(done.getString("finishedAt")).isNotNull();
        for (SliceTruth s : slices) {
            String key = ObjectKeys.raw(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid());
            assertThat(s3.get(key)).isEqualTo(Fixtures.bytes(s));
        }
        try (IngestedEvents events = new IngestedEvents()) {
            SliceTruth last = slices.get(slices.size() - 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> events.about(last.sopInstanceUid()).size() == 1);
            assertThat(events.about(last.sopInstanceUid()).get(0).payload().get("source").asText()).isEqualTo("import");
        }
    }

    @Test
    void importsSayClearlyWhatTheyCannotDo() {
        given().contentType("application/json").body(Map.of("bucket", "elsewhere", "prefix", "a/"))
                .when().post("/imports").then().statusCode(400).body("error", equalTo("OtherBucketNotSupported"));
        given().contentType("application/json").body(Map.of("prefix", "raw/"))
                .when().post("/imports").then().statusCode(400).body("error", equalTo("PrefixAlreadyIngested"));
        given().when().get("/imports/nope").then().statusCode(404).body("error", equalTo("UnknownImport"))
                .body("reason", containsString("nope"));
    }

    private static JsonPath status(String id) {
        return given().when().get("/imports/" + id).then().statusCode(200).extract().jsonPath();
    }
}
