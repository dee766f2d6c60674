package dev.ich.training;

import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.OpenApiDriftContract;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * Training's OpenAPI document says what training answers: a job trained for real by the local launcher (the
 * smallest spec the trainer takes, as LocalTrainingTest runs it), its report, files, log and events read, a job
 * cancelled, a model listed and promoted, and each refusal provoked; every answer is held to the document
 * ({@link OpenApiDriftContract}).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class OpenApiDriftTest extends OpenApiDriftContract {
    @Override
    protected void callEveryOperation() throws Exception {
        DatasetPublished dataset = TinyDataset.publish(S3TestResource.store(), "drift");
        String spec = "{\"id\": \"drift\", \"dataset\": \"drift@v1\", \"epochs\": 1, \"batchSize\": 4, \"maxBatches\": 1, \"workers\": 1,"
                + " \"augment\": false, \"optimizer\": \"sgd\", \"lr\": 0.01, \"schedule\": \"constant\", \"modelName\": \"drift-model\"}";
        given().contentType(ContentType.JSON).body(spec).post("/jobs").then().statusCode(202);
        submitRefusals(spec);
        LocalTrainingTest.awaitState("drift", "succeeded");
        jobs();
        cancel();
        models(dataset);
        given().header("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.forged").get("/jobs").then().statusCode(401);
        given().auth().oauth2(OidcTestResource.token("ich-reader")).get("/jobs/drift/log").then().statusCode(403);
    }

    private static void submitRefusals(String spec) {
        given().contentType(ContentType.JSON).body(spec).post("/jobs").then().statusCode(409);
        given().contentType(ContentType.JSON).body("{\"dataset\": ").post("/jobs").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"dataset\": \"drift@v1\", \"epochs\": 0}").post("/jobs").then().statusCode(422);
        given().contentType(ContentType.JSON).body("{\"dataset\": \"nothing@v1\"}").post("/jobs").then().statusCode(422);
    }

    private static void jobs() {
        given().get("/jobs").then().statusCode(200);
        given().get("/jobs?state=succeeded").then().statusCode(200);
        given().get("/jobs?state=Succeeded").then().statusCode(200);
        given().get("/jobs?state=sleeping").then().statusCode(400);
        given().get("/jobs/drift").then().statusCode(200);
        given().get("/jobs/no-such-job").then().statusCode(404);
        // the job has ended, so its stream is the one state event, then closes
        given().accept("text/event-stream").get("/jobs/drift/events").then().statusCode(200);
        given().accept("text/event-stream").get("/jobs/no-such-job/events").then().statusCode(404);
        given().get("/jobs/drift/report").then().statusCode(200);
        given().get("/jobs/no-such-job/report").then().statusCode(404);
        given().get("/jobs/drift/files/metrics.json").then().statusCode(200);
        given().get("/jobs/drift/files/report.html").then().statusCode(200);
        given().get("/jobs/drift/files/spec.txt").then().statusCode(400);
        given().get("/jobs/drift/files/none.png").then().statusCode(404);
        given().get("/jobs/no-such-job/files/metrics.json").then().statusCode(404);
        given().get("/jobs/drift/log").then().statusCode(200);
        given().get("/jobs/no-such-job/log").then().statusCode(404);
    }

    private static void cancel() {
        given().contentType(ContentType.JSON).body("{\"id\": \"drift-cancelled\", \"dataset\": \"drift@v1\", \"epochs\": 50, \"batchSize\": 4,"
                + " \"maxBatches\": 2, \"workers\": 1}").post("/jobs").then().statusCode(202);
        given().delete("/jobs/drift-cancelled").then().statusCode(200);
        given().delete("/jobs/drift").then().statusCode(409);
        given().delete("/jobs/no-such-job").then().statusCode(404);
    }

    private static void models(DatasetPublished dataset) throws Exception {
        // other test classes of the module share the bucket: what they left serving must not gate this run's model
        byte[] servingBefore = ModelFixtures.setServingAside(S3TestResource.store());
        try {
            registry(dataset);
            gateAndCard();
        } finally {
            ModelFixtures.putServingBack(S3TestResource.store(), servingBefore);
        }
    }

    private static void registry(DatasetPublished dataset) throws Exception {
        given().get("/models").then().statusCode(200);
        given().get("/models/drift-model").then().statusCode(200);
        given().get("/models/no-such-model").then().statusCode(404);
        given().get("/models/Not_A_Name").then().statusCode(400);
        given().post("/models/drift-model/versions/v1/promote").then().statusCode(200);
        given().post("/models/drift-model/versions/v9/promote").then().statusCode(404);
        given().post("/models/drift-model/versions/Not_A_Version/promote").then().statusCode(400);
        // a version whose pipeline serving cannot reproduce is refused
        S3TestResource.store().put("models/drift-elsewhere/v1/model.json", Events.JSON.writeValueAsBytes(Map.of("name", "drift-elsewhere",
                "version", "v1", "architecture", "resnet18", "dataset", dataset.id(), "metrics", Map.of("accuracy", 0.5),
                "preprocessing", Map.of("pipeline", "p0123456789ab"))), "application/json", Map.of());
        given().post("/models/drift-elsewhere/versions/v1/promote").then().statusCode(409);
    }

    /** The promotion gate's refusal, an override and its blank reason; the model card as JSON and as a page. */
    private static void gateAndCard() throws Exception {
        ModelFixtures.setServingAside(S3TestResource.store());
        ModelFixtures.put(S3TestResource.store(), ModelFixtures.model("drift-gate-base", 0.90, 0.80, 0.92, true));
        ModelFixtures.put(S3TestResource.store(), ModelFixtures.model("drift-gate-worse", 0.90, 0.70, 0.92, false));
        given().post("/models/drift-gate-base/versions/v1/promote").then().statusCode(200);
        given().post("/models/drift-gate-worse/versions/v1/promote").then().statusCode(409);
        given().contentType(ContentType.JSON).body("{\"override\": {\"reason\": \"\"}}").post("/models/drift-gate-worse/versions/v1/promote")
                .then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"override\": {\"reason\": \"drift test\"}}")
                .post("/models/drift-gate-worse/versions/v1/promote").then().statusCode(200);
        given().accept(ContentType.JSON).get("/models/drift-gate-base/versions/v1/card").then().statusCode(200);
        given().accept("text/html").get("/models/drift-gate-base/versions/v1/card").then().statusCode(200);
        given().get("/models/drift-gate-base/versions/v9/card").then().statusCode(404);
        given().get("/models/drift-gate-base/versions/Not_A_Version/card").then().statusCode(400);
    }
}
