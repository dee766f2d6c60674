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
        predict("application/dicom", Files.readAllBytes(PYDICOM.resolve("SC_rgb_rle.dcm")), 422, "Colour", "single-frame greyscale");
        Path frames = Files.copy(PYDICOM.resolve("CT_small.dcm"), tmp.resolve("frames.dcm"));
        Process p = new ProcessBuilder("dcmodify", "-nb", "-i", "(0028,0008)=2", frames.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
        predict("application/dicom", Files.readAllBytes(frames), 422, "MultiFrame", "2 frames");
        byte[] whole = PhantomModels.bytes(models.kept());
        predict("application/dicom", java.util.Arrays.copyOf(whole, whole.length / 2), 400, "Truncated", "");
        predict("image/png", whole, 415, "WrongContentType", "application/dicom");
        // application.properties: %test.ich.inference.max-instance-bytes=2M
        predict("application/dicom", new byte[3 * 1024 * 1024], 413, "TooLarge", "ich.inference.max-instance-bytes");

        RestAssured.given().contentType("application/dicom").body(whole).post("/predict").then().statusCode(200)
                .body("slice.sopInstanceUid", equalTo(models.kept().sopInstanceUid()));
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("ich_inference_rejected_total{problem=\"Colour\"}", "ich_inference_rejected_total{problem=\"TooLarge\"}",
                "ich_inference_request_seconds_bucket{endpoint=\"predict\"", "ich_inference_request_seconds{endpoint=\"predict\",quantile=\"0.99\"}",
                "ich_inference_batch_size_count", "ich_inference_queue_seconds{quantile=\"0.95\"}");
    }

    private static void predict(String type, byte[] body, int status, String code, String detail) {
        RestAssured.given().contentType(type).body(body).post("/predict").then().statusCode(status).contentType("application/problem+json")
                .body("code", equalTo(code), "detail", containsString(detail), "status", equalTo(status), "instance", equalTo("/predict"));
    }
}
