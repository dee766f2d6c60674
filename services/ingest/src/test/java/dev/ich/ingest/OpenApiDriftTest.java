package dev.ich.ingest;

import dev.ich.ingest.dicomweb.DicomWebFixtures;
import dev.ich.ingest.dicomweb.WadoAccept;

import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.OpenApiDriftContract;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * Ingest's OpenAPI document says what ingest answers: every operation is called for real, with requests that
 * succeed and requests each of its refusals answers, and any answer whose status, media type or body the document
 * does not declare fails the test ({@link OpenApiDriftContract}).
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class OpenApiDriftTest extends OpenApiDriftContract {
    private static final String NO_STUDY = "1.2.826.0.1.3680043.10.999.1";

    @Override
    protected void callEveryOperation() {
        DicomWebFixtures.awaitIndex();
        DicomWebFixtures.Sent sent = DicomWebFixtures.stow(9501, Map.of());
        stow(sent);
        qido(sent);
        wado(sent);
        singleUpload();
        imports();
        given().header("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.forged").get("/studies").then().statusCode(401);
        given().auth().oauth2(OidcTestResource.token("ich-trainer")).get("/studies").then().statusCode(403);
    }

    private static void stow(DicomWebFixtures.Sent sent) {
        byte[] one = Fixtures.multipart(List.of(Fixtures.Part.dicom(Fixtures.bytes(Fixtures.study(9502).slices().get(0)))));
        given().contentType(Fixtures.STOW_TYPE).body(one).post("/studies").then().statusCode(200);
        // the instance belongs to another study than the path names: refused, so none stored
        given().contentType(Fixtures.STOW_TYPE).body(one).post("/studies/" + NO_STUDY).then().statusCode(409);
        given().contentType(Fixtures.STOW_TYPE).body(one).post("/studies/" + sent.study()).then().statusCode(409);
        given().contentType("text/plain").body("not DICOM").post("/studies").then().statusCode(415);
        given().contentType(Fixtures.STOW_TYPE).body(one).post("/studies/not-a-uid").then().statusCode(400);
        given().contentType("multipart/related; type=\"application/dicom\"").body(one).post("/studies").then().statusCode(400);
    }

    private static void qido(DicomWebFixtures.Sent sent) {
        String study = sent.study();
        for (String path : List.of("/studies", "/series", "/instances", "/studies/" + study + "/series", "/studies/" + study + "/instances",
                "/studies/" + study + "/series/" + sent.series() + "/instances")) {
            given().accept("application/dicom+json").get(path).then().statusCode(200);
        }
        given().get("/studies?NoSuchKey=1").then().statusCode(400);
        given().get("/studies/" + NO_STUDY + "/series").then().statusCode(404);
        given().get("/studies/" + study + "/series/" + NO_STUDY + "/instances").then().statusCode(404);
        given().get("/studies/" + NO_STUDY + "/instances").then().statusCode(404);
    }

    private static void wado(DicomWebFixtures.Sent sent) {
        String series = "/studies/" + sent.study() + "/series/" + sent.series();
        String instance = series + "/instances/" + sent.sop(0);
        for (String path : List.of("/studies/" + sent.study(), series, instance)) {
            given().accept(WadoAccept.MULTIPART).get(path).then().statusCode(200);
            given().accept("application/dicom+json").get(path + "/metadata").then().statusCode(200);
            given().accept("image/jpeg").get(path).then().statusCode(406);
        }
        given().get("/studies/" + NO_STUDY).then().statusCode(404);
        given().get("/studies/" + NO_STUDY + "/metadata").then().statusCode(404);
        given().get(series + "/instances/" + NO_STUDY + "/metadata").then().statusCode(404);
    }

    private static void singleUpload() {
        byte[] instance = Fixtures.bytes(Fixtures.study(9303).slices().get(0));
        given().contentType("application/dicom").body(instance).post("/instances").then().statusCode(200);
        given().contentType("application/dicom").body(instance).post("/instances").then().statusCode(200);
        given().contentType("application/dicom").body("not DICOM".getBytes(StandardCharsets.US_ASCII)).post("/instances").then().statusCode(400);
        given().contentType("text/plain").body("not DICOM").post("/instances").then().statusCode(415);
    }

    private static void imports() {
        S3TestResource.store().put("imports/drift/one.dcm", Fixtures.bytes(Fixtures.study(9304).slices().get(0)), "application/dicom", Map.of());
        String id = given().contentType("application/json").body(Map.of("prefix", "imports/drift/")).post("/imports")
                .then().statusCode(202).extract().path("id");
        given().get("/imports/" + id).then().statusCode(200);
        given().get("/imports/no-such-import").then().statusCode(404);
        given().contentType("application/json").body("{}").post("/imports").then().statusCode(400);
        given().contentType("application/json").body("{\"prefix\": 1}").post("/imports").then().statusCode(400);
    }
}
