package dev.ich.labeling;

import dev.ich.core.event.SliceCleaned;
import dev.ich.testkit.CleanedPhantoms;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.OpenApiDriftContract;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import java.nio.file.Files;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Labeling's OpenAPI document says what labeling answers: on the shared phantom cohort ({@link Phantoms}) the table,
 * its images, labels, a dataset built and an experiment run on it, each called for real, succeeding and refused,
 * every answer held to the document ({@link OpenApiDriftContract}).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class OpenApiDriftTest extends OpenApiDriftContract {
    @Override
    protected void callEveryOperation() throws Exception {
        CleanedPhantoms cohort = Phantoms.published();
        slices(cohort);
        int labels = labels(cohort);
        exploration(labels);
        String dataset = datasets(labels);
        experiments(dataset);
        given().header("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.forged").get("/slices").then().statusCode(401);
        given().auth().oauth2(OidcTestResource.token("ich-trainer")).get("/slices").then().statusCode(403);
    }

    private static void slices(CleanedPhantoms cohort) {
        SliceCleaned kept = cohort.events().stream().filter(SliceCleaned::kept).findFirst().orElseThrow();
        SliceCleaned unreadable = cohort.events().stream().filter(e -> e.error() != null).findFirst().orElseThrow();
        SliceCleaned dropped = cohort.events().stream().filter(e -> !e.kept() && e.error() == null).findFirst().orElseThrow();
        String uid = "/slices/" + kept.sopInstanceUid();
        given().queryParam("limit", 2).get("/slices").then().statusCode(200);
        given().queryParam("limit", 0).get("/slices").then().statusCode(400);
        given().queryParam("labels", 999).get("/slices").then().statusCode(404);
        given().get(uid).then().statusCode(200);
        given().get("/slices/1.2.3.4.5").then().statusCode(404);
        given().get(uid + "/image").then().statusCode(200);
        given().queryParam("window", "nope").get(uid + "/image").then().statusCode(400);
        given().get("/slices/1.2.3.4.5/image").then().statusCode(404);
        given().get("/slices/" + unreadable.sopInstanceUid() + "/image").then().statusCode(422);
        given().get(uid + "/cleaned").then().statusCode(200);
        given().get("/slices/" + dropped.sopInstanceUid() + "/cleaned").then().statusCode(404);
        given().queryParam("count", 2).queryParam("columns", 2).get(uid + "/augmentations").then().statusCode(200);
        given().queryParam("count", 64).get(uid + "/augmentations").then().statusCode(400);
        given().get("/slices/" + dropped.sopInstanceUid() + "/augmentations").then().statusCode(404);
        given().get("/slices.parquet").then().statusCode(200);
    }

    private static int labels(CleanedPhantoms cohort) throws Exception {
        byte[] csv = Files.readAllBytes(cohort.labelsCsv());
        // a version of its own to delete first, so the newest version, which the rest builds on, is the cohort's labels
        int deleted = given().contentType("text/csv").body(csv).post("/labels").then().statusCode(201).extract().jsonPath().getInt("version");
        given().delete("/labels/" + deleted).then().statusCode(204);
        given().delete("/labels/" + deleted).then().statusCode(404);
        int version = given().contentType("text/csv").body(csv).post("/labels").then().statusCode(201).extract().jsonPath().getInt("version");
        given().contentType("text/csv").body("ID,Label\n").post("/labels").then().statusCode(400);
        given().get("/labels").then().statusCode(200);
        given().get("/labels/" + version).then().statusCode(200);
        given().get("/labels/999").then().statusCode(404);
        return version;
    }

    private static void exploration(int labels) {
        given().queryParam("labels", labels).get("/exploration").then().statusCode(200);
        given().queryParam("labels", 999).get("/exploration").then().statusCode(404);
        given().queryParam("labels", labels).get("/exploration/report").then().statusCode(200);
        given().queryParam("labels", 999).get("/exploration/report").then().statusCode(404);
    }

    private static String datasets(int labels) {
        String id = given().contentType(ContentType.JSON).body("{\"name\": \"drift\", \"task\": \"multilabel\", \"labels\": " + labels
                + ", \"split\": {\"valid\": 0.4, \"seed\": 3}}").post("/datasets").then().statusCode(202).extract().jsonPath().getString("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/datasets/" + id).then().statusCode(200).extract().<String>path("state").matches("succeeded|failed|interrupted"));
        given().get("/datasets/" + id).then().statusCode(200);
        given().get("/datasets").then().statusCode(200);
        given().get("/datasets/nothing@v9").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"name\": \"Bad Name\"}").post("/datasets").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"name\": \"drift\", \"labels\": 999}").post("/datasets").then().statusCode(404);
        return id;
    }

    private static void experiments(String dataset) {
        String id = given().contentType(ContentType.JSON).body("{\"dataset\": \"" + dataset + "\", \"trees\": 10}")
                .post("/experiments/metadata-baseline").then().statusCode(202).extract().jsonPath().getString("id");
        await().atMost(Duration.ofSeconds(120)).until(() -> given().get("/experiments/" + id).then().statusCode(200).extract().<String>path("state").matches("succeeded|failed|interrupted"));
        given().get("/experiments/" + id).then().statusCode(200);
        given().get("/experiments").then().statusCode(200);
        given().get("/experiments/nope").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{}").post("/experiments/metadata-baseline").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"dataset\": \"nothing@v1\"}").post("/experiments/metadata-baseline").then().statusCode(404);
    }
}
