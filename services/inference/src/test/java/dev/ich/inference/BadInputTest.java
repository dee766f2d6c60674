package dev.ich.inference;

import dev.ich.core.phantom.HostileDicom;
import dev.ich.core.phantom.HostileDicom.Nesting;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Given bodies that are no CT slice, each gets a 4xx with its reason, and the service keeps serving. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@Order(4)
class BadInputTest {
    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    @Test
    void everyBadBodyGetsItsReasonAndTheServiceKeepsServing(@TempDir Path tmp) throws Exception {
        PhantomModels models = Served.atLeastV1();
        predict("application/dicom", "just some text".getBytes(), 400, "NotDicom", "");
        // pydicom's RGB file is Modality OT: refused for that first; as a CT it is refused for its colour
        predict("application/dicom", Files.readAllBytes(PYDICOM.resolve("SC_rgb_rle.dcm")), 422, "ModalityNotAllowed", "\"OT\"");
        Path rgb = Files.copy(PYDICOM.resolve("SC_rgb_rle.dcm"), tmp.resolve("rgb.dcm"));
        dcmodify("-m", "(0008,0060)=CT", rgb);
        predict("application/dicom", Files.readAllBytes(rgb), 422, "Colour", "single-frame greyscale");
        Path frames = Files.copy(PYDICOM.resolve("CT_small.dcm"), tmp.resolve("frames.dcm"));
        dcmodify("-i", "(0028,0008)=2", frames);
        predict("application/dicom", Files.readAllBytes(frames), 422, "MultiFrame", "2 frames");
        byte[] whole = PhantomModels.bytes(models.kept());
        predict("application/dicom", java.util.Arrays.copyOf(whole, whole.length / 2), 400, "Truncated", "");
        predict("image/png", whole, 415, "WrongContentType", "application/dicom");
        // application.properties: %test.ich.inference.max-instance-bytes=2M
        predict("application/dicom", new byte[3 * 1024 * 1024], 413, "TooLarge", "ich.inference.max-instance-bytes");

        RestAssured.given().contentType("application/dicom").body(whole).post("/predict").then().statusCode(200)
                .body("slice.sopInstanceUid", equalTo(models.kept().sopInstanceUid()));
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("ich_inference_rejections_total{problem=\"Colour\"}", "ich_inference_rejections_total{problem=\"TooLarge\"}",
                "ich_inference_request_seconds_bucket{endpoint=\"predict\"", "ich_inference_request_seconds{endpoint=\"predict\",quantile=\"0.99\"}",
                "ich_inference_batch_size_count", "ich_inference_queue_seconds{quantile=\"0.95\"}");
    }

    /**
     * The rules ingest applies at its doors (core's SliceAdmission), here too: another Modality, a decompression bomb,
     * nesting too deep, compressed frames bigger than declared, a transfer syntax nothing decodes: 422 and the reason,
     * never a probability, never a 500.
     */
    @Test
    void whatIngestRefusesAtItsDoorIsRefusedHereWithTheSameCodeAndReason() throws Exception {
        PhantomModels models = Served.atLeastV1();
        predict("application/dicom", Files.readAllBytes(PYDICOM.resolve("MR_small.dcm")), 422, "ModalityNotAllowed",
                "Modality \"MR\" is not accepted; this service takes [CT]");
        predict("application/dicom", HostileDicom.ct(40_001, 64, 64, "MR").bytes(), 422, "ModalityNotAllowed", "\"MR\"");
        predict("application/dicom", HostileDicom.deflatedPixelBomb(40_002, 1024).bytes(), 422, "InflationBudget", "decompression bomb");
        predict("application/dicom", HostileDicom.deflatedHugeElement(40_003, 1024).bytes(), 422, "InflationBudget", "inflates beyond");
        predict("application/dicom", HostileDicom.nestedSequences(40_004, 10_000, Nesting.EXPLICIT_SQ, false).bytes(), 422, "TooDeep",
                "nested deeper than 64 levels");
        predict("application/dicom", HostileDicom.nestedSequences(40_005, 10_000, Nesting.IMPLICIT_SQ, true).bytes(), 422, "TooDeep",
                "nested deeper than 64 levels");
        predict("application/dicom", HostileDicom.rleLargerThanDeclared(40_006, 1024).bytes(), 422, "InflationBudget", "decodes to more than");
        predict("application/dicom", HostileDicom.jpegLargerThanDeclared(40_007, 30_000, 30_000).bytes(), 422, "InflationBudget",
                "30000 x 30000");
        // explain=true takes the same road
        RestAssured.given().contentType("application/dicom").body(HostileDicom.ct(40_008, 64, 64, "MR").bytes())
                .queryParam("explain", true).post("/predict").then().statusCode(422).body("code", equalTo("ModalityNotAllowed"));

        // a study: the slice is answered, each refused part is named by its number with its code and reason
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        PredictTest.part(body, "application/dicom", PhantomModels.bytes(models.kept()));
        PredictTest.part(body, "application/dicom", Files.readAllBytes(PYDICOM.resolve("MR_small.dcm")));
        PredictTest.part(body, "application/dicom", HostileDicom.deflatedPixelBomb(40_009, 1024).bytes());
        PredictTest.part(body, "application/dicom", HostileDicom.nestedSequences(40_010, 10_000, Nesting.UNKNOWN_VR, false).bytes());
        body.writeBytes(("--" + PredictTest.BOUNDARY + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        RestAssured.given().contentType("multipart/related; type=\"application/dicom\"; boundary=" + PredictTest.BOUNDARY)
                .body(body.toByteArray()).post("/predict/study").then().statusCode(200)
                .body("slices.sopInstanceUid", org.hamcrest.Matchers.contains(models.kept().sopInstanceUid()))
                .body("failed.part", org.hamcrest.Matchers.contains(2, 3, 4))
                .body("failed.status", org.hamcrest.Matchers.contains(422, 422, 422))
                .body("failed.problem", org.hamcrest.Matchers.contains("ModalityNotAllowed", "InflationBudget", "TooDeep"))
                .body("failed[0].reason", containsString("\"MR\""))
                .body("failed[2].reason", containsString("nested deeper than 64 levels"));
        // a study of nothing but such parts is refused whole, with the first reason
        java.io.ByteArrayOutputStream none = new java.io.ByteArrayOutputStream();
        PredictTest.part(none, "application/dicom", HostileDicom.ct(40_011, 64, 64, "MR").bytes());
        none.writeBytes(("--" + PredictTest.BOUNDARY + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        RestAssured.given().contentType("multipart/related; type=\"application/dicom\"; boundary=" + PredictTest.BOUNDARY)
                .body(none.toByteArray()).post("/predict/study").then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("NoSlices")).body("detail", containsString("Modality \"MR\" is not accepted"));
    }

    private static void dcmodify(String option, String value, Path file) throws Exception {
        Process p = new ProcessBuilder("dcmodify", "-nb", option, value, file.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    private static void predict(String type, byte[] body, int status, String code, String detail) {
        RestAssured.given().contentType(type).body(body).post("/predict").then().statusCode(status).contentType("application/problem+json")
                .body("code", equalTo(code), "detail", containsString(detail), "status", equalTo(status), "instance", equalTo("/predict"));
    }
}
