package dev.ich.inference;

import dev.ich.core.augment.PlanarImage;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A client of the protocol's binary tensor data extension: the same preprocessed image sent as little-endian FP32
 * bytes after the JSON gets exactly the JSON path's probabilities, binary outputs come back when asked, DICOM goes
 * as length-prefixed BYTES; and every framing mistake (header length, short or long body, a binary_data_size that does
 * not fit the shape or the datatype) is a 400 that says what to fix, in the protocol's error shape.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@Order(3)
class OipBinaryTest {
    private static final int VALUES = 3 * PhantomModels.SIZE * PhantomModels.SIZE;

    private static float[] cleaned(SliceTruth slice) throws Exception {
        return PlanarImage.fromPng(new CleaningPipeline(PhantomModels.PIPELINE).clean(DicomReader.create().read(slice.file())).png()).data();
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static String imageHeader(int n, long binarySize, String extra) {
        return "{\"id\": \"bin-1\", \"inputs\": [{\"name\": \"image\", \"datatype\": \"FP32\", \"shape\": [" + n + ", 3, 64, 64],"
                + " \"parameters\": {\"binary_data_size\": " + binarySize + "}}]" + extra + "}";
    }

    private static Response post(byte[] body, Object headerLength) {
        var spec = RestAssured.given().contentType("application/octet-stream").body(body);
        if (headerLength != null) spec = spec.header("Inference-Header-Content-Length", headerLength.toString());
        return spec.post("/v2/models/ich/infer");
    }

    @Test
    void aBinaryTensorGetsTheJsonPathsProbabilitiesAndBinaryOutputsWhenAsked() throws Exception {
        PhantomModels models = Served.atLeastV1();
        RestAssured.get("/v2").then().statusCode(200).body("extensions", org.hamcrest.Matchers.hasItem("binary_tensor_data"));
        float[] kept = cleaned(models.kept());
        // Two images: the slice the client cleaned, and the same slice at half the brightness.
        float[] both = Arrays.copyOf(kept, 2 * VALUES);
        for (int i = 0; i < VALUES; i++) both[VALUES + i] = kept[i] / 2;

        String json = "{\"inputs\": [{\"name\": \"image\", \"datatype\": \"FP32\", \"shape\": [2, 3, 64, 64], \"data\": ["
                + IntStream.range(0, both.length).mapToObj(i -> Float.toString(both[i])).collect(Collectors.joining(",")) + "]}]}";
        List<Float> viaJson = RestAssured.given().contentType(ContentType.JSON).body(json).post("/v2/models/ich/infer").then().statusCode(200)
                .extract().jsonPath().getList("outputs[0].data", Float.class);

        // Binary in, JSON out (the default answer).
        byte[] header = imageHeader(2, 4L * both.length, "").getBytes(StandardCharsets.UTF_8);
        Response r = post(concat(header, littleEndian(both)), header.length);
        r.then().statusCode(200).contentType(ContentType.JSON).body("id", equalTo("bin-1"));
        List<Float> viaBinary = r.jsonPath().getList("outputs[0].data", Float.class);
        assertThat(viaBinary).hasSize(2);
        assertThat(viaBinary.get(0)).isCloseTo(viaJson.get(0), within(1e-6f));
        assertThat(viaBinary.get(1)).isCloseTo(viaJson.get(1), within(1e-6f));

        // Binary in and out: the JSON header, then 2 little-endian floats.
        byte[] asking = imageHeader(2, 4L * both.length, ", \"parameters\": {\"binary_data_output\": true}").getBytes(StandardCharsets.UTF_8);
        Response b = post(concat(asking, littleEndian(both)), asking.length);
        b.then().statusCode(200).contentType("application/octet-stream");
        byte[] answer = b.asByteArray();
        int jsonLength = Integer.parseInt(b.header("Inference-Header-Content-Length"));
        JsonPath head = new JsonPath(new String(answer, 0, jsonLength, StandardCharsets.UTF_8));
        assertThat(head.getInt("outputs[0].parameters.binary_data_size")).isEqualTo(8);
        assertThat(head.getList("outputs[0].shape", Integer.class)).containsExactly(2);
        assertThat((Object) head.get("outputs[0].data")).isNull();
        assertThat(answer).hasSize(jsonLength + 8);
        ByteBuffer floats = ByteBuffer.wrap(answer, jsonLength, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(floats.getFloat()).isCloseTo(viaJson.get(0), within(1e-6f));
        assertThat(floats.getFloat()).isCloseTo(viaJson.get(1), within(1e-6f));

        // An output's own binary_data: false wins over the request's binary_data_output: the answer is JSON again.
        byte[] notThisOne = imageHeader(1, 4L * VALUES, ", \"parameters\": {\"binary_data_output\": true},"
                + " \"outputs\": [{\"name\": \"any\", \"parameters\": {\"binary_data\": false}}]").getBytes(StandardCharsets.UTF_8);
        float alone = post(concat(notThisOne, littleEndian(kept)), notThisOne.length).then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath().getFloat("outputs[0].data[0]");
        assertThat(alone).isCloseTo(viaJson.get(0), within(1e-6f));
    }

    @Test
    void dicomAsLengthPrefixedBinaryBytesIsPredictedAsBase64Is() throws Exception {
        PhantomModels models = Served.atLeastV1();
        String version = Served.version();
        byte[] kept = PhantomModels.bytes(models.kept()), dropped = PhantomModels.bytes(models.dropped());
        byte[] elements = concat(length(kept.length), kept, length(dropped.length), dropped);
        byte[] header = ("{\"inputs\": [{\"name\": \"dicom\", \"datatype\": \"BYTES\", \"shape\": [2], \"parameters\": {\"binary_data_size\": "
                + elements.length + "}}], \"outputs\": [{\"name\": \"any\"}, {\"name\": \"brain_window_passed\", \"parameters\": {\"binary_data\": true}}]}")
                .getBytes(StandardCharsets.UTF_8);
        Response r = post(concat(header, elements), header.length);
        r.then().statusCode(200).contentType("application/octet-stream");
        byte[] answer = r.asByteArray();
        int jsonLength = Integer.parseInt(r.header("Inference-Header-Content-Length"));
        JsonPath head = new JsonPath(new String(answer, 0, jsonLength, StandardCharsets.UTF_8));
        List<Float> p = head.getList("outputs[0].data", Float.class);
        assertThat(p.get(0)).isCloseTo(models.expected(version, models.kept()), within(1e-5f));
        assertThat(p.get(1)).isCloseTo(models.expected(version, models.dropped()), within(1e-5f));
        assertThat(head.getInt("outputs[1].parameters.binary_data_size")).isEqualTo(2);
        assertThat(Arrays.copyOfRange(answer, jsonLength, answer.length)).containsExactly(1, 0);
    }

    private static byte[] length(int n) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(n).array();
    }

    @Test
    void framingMistakesAre400sThatSayWhatToFix() throws Exception {
        Served.atLeastV1();
        byte[] one = littleEndian(new float[VALUES]);
        byte[] header = imageHeader(1, one.length, "").getBytes(StandardCharsets.UTF_8);
        byte[] body = concat(header, one);

        refused(body, "forty", "BadHeaderLength", "a decimal integer; got \"forty\"");
        refused(body, body.length + 1, "BadHeaderLength", "the body holds " + body.length);
        refused(body, 1, "BadHeaderLength", "at least 2");
        refused(body, header.length - 5, "MalformedJson", "in its first " + (header.length - 5) + " bytes");
        refused(body, header.length + 4, "MalformedJson", "must count the JSON object alone");
        refused(concat(header, Arrays.copyOf(one, one.length - 10)), header.length, "BinarySizeMismatch", "the body is short of 10 bytes");
        refused(concat(header, one, new byte[3]), header.length, "BinarySizeMismatch", "3 bytes are not declared by any input");
        refused(body, null, "MissingHeaderLength", "no Inference-Header-Content-Length header");

        byte[] half = imageHeader(1, one.length / 2, "").getBytes(StandardCharsets.UTF_8);
        refused(concat(half, Arrays.copyOf(one, one.length / 2)), half.length, "BinarySizeMismatch", "(FP16-sized: this model takes FP32)");
        byte[] fp16 = ("{\"inputs\": [{\"name\": \"image\", \"datatype\": \"FP16\", \"shape\": [1, 3, 64, 64], \"parameters\": {\"binary_data_size\": "
                + one.length / 2 + "}}]}").getBytes(StandardCharsets.UTF_8);
        refused(concat(fp16, Arrays.copyOf(one, one.length / 2)), fp16.length, "BadDatatype", "has datatype \"FP16\"");
        byte[] wrongShape = imageHeader(2, one.length, "").getBytes(StandardCharsets.UTF_8);
        refused(concat(wrongShape, one), wrongShape.length, "BinarySizeMismatch", "is 24576 values of 4 bytes = 98304 bytes");
        byte[] notInteger = imageHeader(1, 0, "").replace("\"binary_data_size\": 0", "\"binary_data_size\": \"49152\"").getBytes(StandardCharsets.UTF_8);
        refused(concat(notInteger, one), notInteger.length, "BadParameter", "must be a whole number of bytes");
        byte[] both = imageHeader(1, one.length, "").replace("\"parameters\"", "\"data\": [0.5], \"parameters\"").getBytes(StandardCharsets.UTF_8);
        refused(concat(both, one), both.length, "BadInputs", "has both \"data\" and binary_data_size");
        float[] nan = new float[VALUES];
        nan[7] = Float.NaN;
        refused(concat(header, littleEndian(nan)), header.length, "BadValue", "at index 7 is not finite");
        byte[] shortElement = ("{\"inputs\": [{\"name\": \"dicom\", \"datatype\": \"BYTES\", \"shape\": [1], \"parameters\": {\"binary_data_size\": 8}}]}")
                .getBytes(StandardCharsets.UTF_8);
        refused(concat(shortElement, length(100), new byte[4]), shortElement.length, "BinarySizeMismatch", "says 100 bytes, only 4");

        // Nothing refused is left behind: the next, correct request is answered; each refusal was counted by its problem.
        post(body, header.length).then().statusCode(200).body("outputs[0].shape[0]", equalTo(1));
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String code : codes) assertThat(metrics).contains("ich_inference_rejections_total{problem=\"" + code + "\"}");
    }

    private final java.util.Set<String> codes = new java.util.TreeSet<>();

    private void refused(byte[] body, Object headerLength, String code, String reason) {
        codes.add(code);
        post(body, headerLength).then().statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString(reason), "keySet()", org.hamcrest.Matchers.contains("error"));
    }
}
