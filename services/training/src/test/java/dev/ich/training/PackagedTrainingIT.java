package dev.ich.training;

import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The packaged training service as it ships, started by Quarkus from the build's artifact: the fast-jar in every
 * `./ich test`, the native executable under `-Dnative` (docs/deploy.md, "Native images"), where this is the check
 * that reflection, resources and the OIDC and Kafka wiring survived the native compilation.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class PackagedTrainingIT {
    @Test
    void thePackagedServiceAuthenticatesListsJobsAndRefusesABadSpecWithAProblem() {
        given().get("/jobs").then().statusCode(200);
        given().header("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.forged").get("/jobs").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"kind\": \"train\"}").post("/jobs").then().statusCode(422)
                .contentType("application/problem+json").body("field", equalTo("dataset")).body("detail", containsString("dataset"));
        given().get("/jobs/no-such-job").then().statusCode(404).contentType("application/problem+json");
    }
}
