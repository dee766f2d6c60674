package dev.ich.inference;

import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Given a service started before any model was promoted, it is not ready and says why on every door; when training
 * promotes a model (pointer, then event), it loads it and becomes ready.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@Order(1)
class ServingLifecycleTest {
    @Test
    void notReadyUntilAModelIsPromotedThenReady() throws Exception {
        PhantomModels models = PhantomModels.get();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Management.given().get("/q/health/ready").then().statusCode(503)
                .body(containsString("no model has been promoted yet")));
        RestAssured.given().contentType("application/dicom").body(PhantomModels.bytes(models.kept())).post("/predict").then()
                .statusCode(503).header("Retry-After", "5")
                .body("code", equalTo("NoModel"), "detail", containsString("models/serving.json is absent"));
        RestAssured.get("/v2/health/ready").then().statusCode(503).body("ready", equalTo(false), "error", containsString("serving.json"));
        RestAssured.get("/v2/models/ich/ready").then().statusCode(503);
        RestAssured.get("/v2/models/ich").then().statusCode(503).body("error", containsString("no model has been promoted yet"));
        RestAssured.get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));

        models.store("v1");
        PhantomModels.promote("v1");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Management.given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("\"version\": \"v1\"")));
        RestAssured.get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        RestAssured.get("/v2/models/ich/ready").then().statusCode(200);
        Management.given().get("/q/metrics").then().statusCode(200).body(containsString("ich_inference_model_version 1.0"));
    }
}
