package dev.ich.inference;

import dev.ich.testkit.quarkus.Management;
import io.restassured.RestAssured;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** For tests that need a served model whatever ran before them: v1 promoted unless some version is served. */
final class Served {
    private Served() {
    }

    static PhantomModels atLeastV1() throws Exception {
        PhantomModels models = PhantomModels.get();
        if (Management.given().get("/q/health/ready").statusCode() != 200) {
            models.store("v1");
            PhantomModels.promote("v1");
            await().atMost(Duration.ofSeconds(60)).until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
        }
        return models;
    }

    static String version() {
        return RestAssured.get("/v2/models/ich").then().statusCode(200).extract().jsonPath().getString("versions[0]");
    }
}
