package dev.ich.cleaning;

import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.OpenApiDriftContract;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Cleaning's OpenAPI document says what cleaning answers: reprocessing and bins called for real, succeeding and
 * refused, every answer held to the document ({@link OpenApiDriftContract}).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class OpenApiDriftTest extends OpenApiDriftContract {
    /** problem/ProbeResource: the failures ProblemShapeTest provokes. */
    @Override
    protected boolean servedOnlyInTests(String operation) {
        return operation.contains(" /test-problems/");
    }

    @Override
    protected void callEveryOperation() throws Exception {
        // a seed of its own: OperationsTest's 93 would find these slices re-cleaned by the reprocess run below
        for (SliceTruth t : PhantomUploads.generate(1, 4, 193, false).slices()) PhantomUploads.upload(S3TestResource.store(), t);

        given().contentType(ContentType.JSON).body("{\"sample\": 10}").post("/pipelines/bins").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"sample\": 0}").post("/pipelines/bins").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"samples\": 10}").post("/pipelines/bins").then().statusCode(400);

        String id = given().contentType(ContentType.JSON).body("{}").post("/reprocess").then().statusCode(202).extract().path("id");
        // the run ends before the test does, so no other test sees it re-cleaning
        await().atMost(Duration.ofSeconds(120)).until(() -> given().get("/reprocess/" + id).then().statusCode(200)
                .extract().<String>path("state").equals("succeeded"));
        given().contentType(ContentType.JSON).body("{\"pipeline\": {\"size\": 3}}").post("/reprocess").then().statusCode(400);
        given().contentType("text/plain").body("{}").post("/reprocess").then().statusCode(415);
        given().get("/reprocess/no-such-run").then().statusCode(404);
        given().header("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.forged").get("/reprocess/no-such-run").then().statusCode(401);
        given().auth().oauth2(OidcTestResource.token("ich-trainer")).get("/reprocess/no-such-run").then().statusCode(403);
    }
}
