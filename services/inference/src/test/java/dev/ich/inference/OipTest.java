package dev.ich.inference;

import dev.ich.core.augment.PlanarImage;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** A KServe-style client: metadata, infer with base64 DICOM or a preprocessed FP32 tensor, and errors as {"error": "..."}. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@Order(3)
class OipTest {
    @Test
    void metadataDescribesBothInputsAndOneOutputPerLabel() throws Exception {
        Served.atLeastV1();
        RestAssured.get("/v2").then().statusCode(200).body("name", equalTo("ich-inference"));
        JsonPath m = RestAssured.get("/v2/models/ich").then().statusCode(200).extract().jsonPath();
        assertThat(m.getString("name")).isEqualTo("ich");
        assertThat(m.getList("versions", String.class)).containsExactly(Served.version());
        assertThat(m.getList("inputs.name", String.class)).containsExactly("dicom", "image");
        assertThat(m.getList("inputs.datatype", String.class)).containsExactly("BYTES", "FP32");
        assertThat(m.getList("inputs[1].shape", Integer.class)).containsExactly(-1, 3, PhantomModels.SIZE, PhantomModels.SIZE);
        assertThat(m.getList("outputs.name", String.class)).containsExactly("any", "brain_window_passed");
        assertThat(m.getString("parameters.pipeline")).isEqualTo(PhantomModels.PIPELINE.version().id());
        RestAssured.get("/v2/models/ich/versions/" + Served.version()).then().statusCode(200);
        RestAssured.get("/v2/models/ich/versions/v99").then().statusCode(404).body("error", containsString("v99 is not served"));
    }

    @Test
    void base64DicomAndPreprocessedTensorsGetTheModelsProbabilities() throws Exception {
        PhantomModels models = Served.atLeastV1();
        String version = Served.version();
        SliceTruth kept = models.kept(), dropped = models.dropped();
        String b64 = "{\"id\": \"req-1\", \"inputs\": [{\"name\": \"dicom\", \"datatype\": \"BYTES\", \"shape\": [2], \"data\": [\""
                + Base64.getEncoder().encodeToString(PhantomModels.bytes(kept)) + "\", \""
                + Base64.getEncoder().encodeToString(PhantomModels.bytes(dropped)) + "\"]}]}";
        JsonPath r = RestAssured.given().contentType(ContentType.JSON).body(b64).post("/v2/models/ich/infer").then().statusCode(200)
                .extract().jsonPath();
        assertThat(r.getString("model_name")).isEqualTo("ich");
        assertThat(r.getString("model_version")).isEqualTo(version);
        assertThat(r.getString("id")).isEqualTo("req-1");
        assertThat(r.getString("outputs[0].name")).isEqualTo("any");
        assertThat(r.getString("outputs[0].datatype")).isEqualTo("FP32");
        assertThat(r.getList("outputs[0].shape", Integer.class)).containsExactly(2);
        List<Float> p = r.getList("outputs[0].data", Float.class);
        assertThat(p.get(0)).isCloseTo(models.expected(version, kept), within(1e-5f));
        assertThat(p.get(1)).isCloseTo(models.expected(version, dropped), within(1e-5f));
        assertThat(r.getList("outputs[1].data", Boolean.class)).containsExactly(true, false);

        // The same slice preprocessed by the client (the training pixels), sent as FP32 [1, 3, 64, 64]: the same answer.
        float[] image = PlanarImage.fromPng(new CleaningPipeline(PhantomModels.PIPELINE).clean(DicomReader.create().read(kept.file())).png()).data();
        String tensor = "{\"inputs\": [{\"name\": \"image\", \"datatype\": \"FP32\", \"shape\": [1, 3, 64, 64], \"data\": ["
                + IntStream.range(0, image.length).mapToObj(i -> Float.toString(image[i])).collect(Collectors.joining(",")) + "]}],"
                + " \"outputs\": [{\"name\": \"any\"}]}";
        JsonPath t = RestAssured.given().contentType(ContentType.JSON).body(tensor).post("/v2/models/ich/versions/" + version + "/infer")
                .then().statusCode(200).extract().jsonPath();
        assertThat(t.getList("outputs", Map.class)).hasSize(1);
        assertThat(t.getFloat("outputs[0].data[0]")).isCloseTo(p.get(0), within(1e-5f));
    }

    @Test
    void errorsAreInTheProtocolsShapeWithTheRightStatus() throws Exception {
        Served.atLeastV1();
        infer("{\"inputs\": [{\"name\": \"image\", \"datatype\": \"FP32\", \"shape\": [1, 3, 32, 32], \"data\": [0.5]}]}", 400,
                "FP32 input must have shape [N, 3, 64, 64]");
        infer("{\"inputs\": [{\"name\": \"image\", \"datatype\": \"FP32\", \"shape\": [1, 3, 64, 64], \"data\": [0.5, 0.5]}]}", 400,
                "needs 12288 values, data holds 2");
        infer("{\"inputs\": [{\"name\": \"image\", \"datatype\": \"FP32\", \"shape\": [1, 3, 64, 64], \"data\": [\"x\"]}]}", 400,
                "FP32 data holds string");
        infer("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"INT64\", \"shape\": [1], \"data\": [1]}]}", 400, "send BYTES");
        infer("{\"inputs\": []}", 400, "exactly one input");
        infer("{\"inputs\": [{\"name\": \"dicom\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\"%%%\"]}]}", 400, "not base64");
        infer("{\"inputs\": [{\"name\": \"dicom\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\""
                + Base64.getEncoder().encodeToString("hello".getBytes()) + "\"]}]}", 400, "element 0");
        infer("{\"inputs\": [{\"name\": \"dicom\", \"datatype\": \"BYTES\", \"shape\": [3], \"data\": [\"AA==\"]}]}", 400,
                "does not match its data");
        infer("{\"inputs\": [{\"name\": \"image\", \"datatype\": \"FP32\", \"shape\": [1, 3, 64, 64], \"data\": []}],"
                + " \"outputs\": [{\"name\": \"epidural\"}]}", 400, "");
        infer("{not json", 400, "not JSON");
        RestAssured.given().contentType(ContentType.JSON).body("{\"inputs\": []}").post("/v2/models/resnet/infer").then().statusCode(404)
                .body("error", containsString("this server serves \"ich\""));
        RestAssured.get("/v2/models/resnet/ready").then().statusCode(404).body("error", containsString("no model \"resnet\""));
    }

    private static void infer(String body, int status, String reason) {
        RestAssured.given().contentType(ContentType.JSON).body(body).post("/v2/models/ich/infer").then().statusCode(status)
                .body("error", containsString(reason), "keySet()", org.hamcrest.Matchers.contains("error"));
    }
}
