package dev.ich.inference;

import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Given the service's defaults, the forward benchmark (which keeps every core busy) is off: even ich-admin gets a 404
 * that says how to turn it on, and who may call it is checked first, so nobody else learns even that.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@Order(20)
class BenchEndpointOffTest {
    @Test
    void offByDefaultWithAReasonThatSaysHowToTurnItOn() {
        RestAssured.given().queryParam("batch", "1").queryParam("seconds", "1").post("/bench/forward").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("BenchDisabled"))
                .body("detail", containsString("ich.inference.bench-endpoint=true"))
                .body("detail", containsString("ICH_INFERENCE_BENCH_ENDPOINT=true"));
        RestAssured.given().noFilters().post("/bench/forward").then().statusCode(401)
                .contentType("application/problem+json");
        RestAssured.given().header("Authorization", "Bearer " + OidcTestResource.token("ich-model-admin")).post("/bench/forward")
                .then().statusCode(403).contentType("application/problem+json").body("roles", hasItem("ich-admin"));
    }
}
