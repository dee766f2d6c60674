package dev.ich.inference;

import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Given the forward benchmark turned on (as the local stack does for ./ich bench predict), then only ich-admin gets
 * past the door (anonymous 401, every other role 403, as problem bodies), and a run is bounded to two minutes of cores
 * in all. This application (a test profile of its own) serves no model: libtorch's native library is bound to the
 * first test application's class loader, so ich-admin's call ends at 503 NoModel, past every check that matters here.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@TestProfile(BenchEndpointTest.On.class)
class BenchEndpointTest {
    public static class On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ich.inference.bench-endpoint", "true");
        }
    }

    private static String bearer(String role) {
        return "Bearer " + OidcTestResource.token(role);
    }

    @Test
    void onlyAnAdminGetsPastTheDoor() {
        RestAssured.given().noFilters().post("/bench/forward").then().statusCode(401).contentType("application/problem+json");
        for (String role : List.of("ich-model-admin", "ich-clinician", "ich-reader", "ich-trainer", "ich-curator", "ich-uploader")) {
            RestAssured.given().header("Authorization", bearer(role)).queryParam("batch", "1").queryParam("seconds", "0.05")
                    .post("/bench/forward").then().statusCode(403).contentType("application/problem+json")
                    .body("roles", equalTo(List.of("ich-admin")));
        }
        RestAssured.given().header("Authorization", bearer("ich-admin")).queryParam("batch", "1").queryParam("seconds", "0.05")
                .post("/bench/forward").then().statusCode(503).body("code", equalTo("NoModel"));
    }

    @Test
    void aRunHoldsTheCoresForTwoMinutesAtMost() {
        // Seconds count per batch size: two sizes of 100 s would hold the cores for 200 s.
        RestAssured.given().queryParam("batch", "1,4").queryParam("seconds", "100").post("/bench/forward").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("BadSeconds")).body("detail", containsString("60.0"));
        RestAssured.given().queryParam("batch", "1").queryParam("seconds", "121").post("/bench/forward").then().statusCode(400)
                .body("code", equalTo("BadSeconds"));
        RestAssured.given().queryParam("batch", "1,2,3,4,5,6,7,8,9").queryParam("seconds", "1").post("/bench/forward").then()
                .statusCode(400).body("code", equalTo("BadBatch")).body("detail", containsString("at most 8"));
        RestAssured.given().queryParam("batch", "1").queryParam("seconds", "120").post("/bench/forward").then().statusCode(503)
                .body("code", equalTo("NoModel"));
    }

    @Test
    void otherLayoutsStayWithinThePredictorsAndTheCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        RestAssured.given().queryParam("batch", "1").queryParam("copies", "999").post("/bench/forward").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("BadCopies")).body("detail", containsString("the service's predictors"));
        RestAssured.given().queryParam("batch", "1").queryParam("threads", cores + 1).post("/bench/forward").then().statusCode(400)
                .body("code", equalTo("BadThreads")).body("detail", containsString("1.." + cores + " (the cores)"));
        RestAssured.given().queryParam("batch", "1").queryParam("copies", "1").queryParam("threads", "1").post("/bench/forward").then()
                .statusCode(503).body("code", equalTo("NoModel"));
    }
}
