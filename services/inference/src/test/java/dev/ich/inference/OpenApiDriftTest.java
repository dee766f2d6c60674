package dev.ich.inference;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.StudyCompleted;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.OpenApiDriftContract;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Inference's OpenAPI document says what inference answers: with the phantom model served ({@link Served}), a slice
 * and a study predicted, the Open Inference Protocol asked and inferred, a completed study triaged and its worklist
 * entry and pictures read, each refused as well; every answer is held to the document ({@link OpenApiDriftContract}).
 * The forward benchmark is off in this application (as by default): it answers its 404, 401 and 403 here, and its
 * runs are BenchEndpointTest's, in a profile of its own that can serve no model.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class OpenApiDriftTest extends OpenApiDriftContract {
    private static final String MULTIPART = "multipart/related; type=\"application/dicom\"; boundary=" + PredictTest.BOUNDARY;
    private static PhantomModels models;

    /** Before the contract holds requests to the document: serving a model asks the management port, which it does not describe. */
    @BeforeAll
    static void serveAModel() throws Exception {
        models = Served.atLeastV1();
    }

    @Override
    protected void callEveryOperation() throws Exception {
        predict(models);
        openInferenceProtocol(models);
        triage(models.study(1));
        given().get("/export/status").then().statusCode(200);
        given().queryParam("batch", "1").queryParam("seconds", "1").post("/bench/forward").then().statusCode(404);
        given().auth().oauth2(OidcTestResource.token("ich-model-admin")).post("/bench/forward").then().statusCode(403);
        given().header("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.forged").get("/triage").then().statusCode(401);
        given().auth().oauth2(OidcTestResource.token("ich-reader")).contentType("application/dicom")
                .body(PhantomModels.bytes(models.kept())).post("/predict").then().statusCode(403);
    }

    private static void predict(PhantomModels models) throws Exception {
        byte[] kept = PhantomModels.bytes(models.kept());
        given().contentType("application/dicom").body(kept).post("/predict").then().statusCode(200);
        given().contentType("application/dicom").body(kept).post("/predict?explain=true").then().statusCode(200);
        given().contentType("application/dicom").body(kept).post("/predict?label=any").then().statusCode(400);
        given().contentType("application/dicom").body("not DICOM".getBytes(StandardCharsets.US_ASCII)).post("/predict").then().statusCode(400);
        given().contentType("text/plain").body("not DICOM").post("/predict").then().statusCode(415);

        ByteArrayOutputStream study = new ByteArrayOutputStream();
        for (SliceTruth s : models.study(0)) PredictTest.part(study, "application/dicom", PhantomModels.bytes(s));
        study.write(("--" + PredictTest.BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        given().contentType(MULTIPART).body(study.toByteArray()).post("/predict/study").then().statusCode(200);
        ByteArrayOutputStream junk = new ByteArrayOutputStream();
        PredictTest.part(junk, "application/dicom", "not DICOM".getBytes(StandardCharsets.US_ASCII));
        junk.write(("--" + PredictTest.BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        given().contentType(MULTIPART).body(junk.toByteArray()).post("/predict/study").then().statusCode(422);
        given().contentType(MULTIPART).body("no parts here".getBytes(StandardCharsets.US_ASCII)).post("/predict/study").then().statusCode(400);
        given().contentType("application/dicom").body(new byte[] {1, 2, 3}).post("/predict/study").then().statusCode(415);
    }

    private static void openInferenceProtocol(PhantomModels models) {
        String version = Served.version();
        given().get("/v2").then().statusCode(200);
        given().get("/v2/health/live").then().statusCode(200);
        given().get("/v2/health/ready").then().statusCode(200);
        given().get("/v2/models/ich/ready").then().statusCode(200);
        given().get("/v2/models/resnet/ready").then().statusCode(404);
        given().get("/v2/models/ich").then().statusCode(200);
        given().get("/v2/models/resnet").then().statusCode(404);
        given().get("/v2/models/ich/versions/" + version).then().statusCode(200);
        given().get("/v2/models/ich/versions/v99").then().statusCode(404);
        String dicom = "{\"inputs\": [{\"name\": \"dicom\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\""
                + Base64.getEncoder().encodeToString(PhantomModels.bytes(models.kept())) + "\"]}]}";
        given().contentType(ContentType.JSON).body(dicom).post("/v2/models/ich/infer").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"inputs\": []}").post("/v2/models/ich/infer").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{not json").post("/v2/models/ich/infer").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"inputs\": []}").post("/v2/models/resnet/infer").then().statusCode(404);
        given().contentType(ContentType.JSON).body(dicom).post("/v2/models/ich/versions/" + version + "/infer").then().statusCode(200);
        given().contentType(ContentType.JSON).body(dicom).post("/v2/models/ich/versions/v99/infer").then().statusCode(404);
    }

    /** Announces the study as ingest does and reads what triage made of it. */
    private static void triage(List<SliceTruth> study) throws Exception {
        String uid = study.get(0).studyInstanceUid();
        for (SliceTruth s : study) {
            S3TestResource.store().put(ObjectKeys.raw(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid()), PhantomModels.bytes(s),
                    "application/dicom", Map.of());
        }
        Instant now = Instant.now();
        try (TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            producer.sendJson(Topics.STUDY_COMPLETED, uid, new StudyCompleted(uid, "patient", 0, List.of(), now, now, now));
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> given().get("/triage/" + uid).statusCode() == 200
                && !Instant.parse(given().get("/triage/" + uid).jsonPath().getString("predictedAt")).isBefore(now));
        String picture = given().get("/triage/" + uid).then().statusCode(200).extract().jsonPath().getString("keySlices[0].heatmapPicture");
        given().get(picture).then().statusCode(200);
        String sop = study.get(0).sopInstanceUid();
        given().get("/triage/" + uid + "/pictures/" + sop + "/any/elsewhere").then().statusCode(404);
        given().get("/triage/" + uid + "/pictures/not-a-uid/any/slice").then().statusCode(400);
        given().accept("application/json").get("/triage").then().statusCode(200);
        given().accept("text/html").get("/triage").then().statusCode(200);
        given().accept("application/json").queryParam("limit", 0).get("/triage").then().statusCode(400);
        given().get("/triage/not-a-uid").then().statusCode(400);
        given().get("/triage/1.2.826.0.1.3680043.10.999.1").then().statusCode(404);
    }
}
