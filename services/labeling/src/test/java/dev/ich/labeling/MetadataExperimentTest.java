package dev.ich.labeling;

import dev.ich.testkit.CleanedPhantoms;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/** Given a published phantom dataset, then the metadata-only forest is joined by slice id, split by patient and reported honestly. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class MetadataExperimentTest {

    @Test
    void theForestIsScoredOnValidBesideTheMajorityBaseline() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        int version = RestAssured.given().contentType("text/csv").body(Files.readAllBytes(c.labelsCsv())).post("/labels").then()
                .statusCode(201).extract().jsonPath().getInt("version");
        // phantom positives are a minority: the unbalanced multilabel set makes the majority baseline meaningful
        String dataset = RestAssured.given().contentType(ContentType.JSON)
                .body("{\"name\": \"metadata-exp\", \"task\": \"multilabel\", \"labels\": " + version + ", \"split\": {\"valid\": 0.4, \"seed\": 3}}")
                .post("/datasets").then().statusCode(202).extract().jsonPath().getString("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(RestAssured.get("/datasets/" + dataset).then()
                .statusCode(200).extract().<String>path("state")));

        String id = RestAssured.given().contentType(ContentType.JSON).body("{\"dataset\": \"" + dataset + "\", \"trees\": 50}")
                .post("/experiments/metadata-baseline").then().statusCode(202).extract().jsonPath().getString("id");
        await().atMost(Duration.ofSeconds(120)).until(() -> RestAssured.get("/experiments/" + id).then().statusCode(200).extract().<String>path("state").matches("succeeded|failed|interrupted"));
        JsonPath e = RestAssured.get("/experiments/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(e.getString("state")).isEqualTo("succeeded");
        assertThat(e.getString("kind")).isEqualTo("metadata-baseline");
        assertThat(e.getInt("progress.done")).isEqualTo(e.getInt("progress.total"));
        assertThat(e.getList("details.columns", String.class)).contains("BitsStored", "RescaleIntercept").noneMatch(n -> n.startsWith("img_"));
        assertThat(e.getInt("details.report.trees")).isEqualTo(50);
        assertThat(e.getInt("details.report.trainSlices") + e.getInt("details.report.validSlices")).isEqualTo(e.getInt("details.trainSlices") + e.getInt("details.validSlices"));
        double auc = e.getDouble("details.report.auc"), accuracy = e.getDouble("details.report.accuracy"), majority = e.getDouble("details.report.majorityBaseline");
        assertThat(auc).isBetween(0.0, 1.0);
        assertThat(accuracy).isBetween(0.0, 1.0);
        // the majority class is the train split's; its accuracy is measured on valid
        double trainPositive = e.getDouble("details.report.trainPositiveShare"), validPositive = e.getDouble("details.report.validPositiveShare");
        assertThat(majority).isCloseTo(trainPositive >= 0.5 ? validPositive : 1 - validPositive, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(e.getList("details.report.importances")).isNotEmpty();
        assertThat(e.getString("details.report.verdict")).isNotBlank();
    }

    @Test
    void unknownDatasetsAreRefused() {
        RestAssured.given().contentType(ContentType.JSON).body("{\"dataset\": \"nothing@v1\"}").post("/experiments/metadata-baseline")
                .then().statusCode(404).body("detail", containsString("nothing@v1"));
        RestAssured.given().contentType(ContentType.JSON).body("{}").post("/experiments/metadata-baseline")
                .then().statusCode(400).body("detail", containsString("dataset"));
        RestAssured.get("/experiments/nope").then().statusCode(404);
    }
}
