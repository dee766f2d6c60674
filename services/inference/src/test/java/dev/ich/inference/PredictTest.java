package dev.ich.inference;

import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

/** Given the phantom model served, a slice or a whole study gets the probabilities the model computes on the training pixels. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@Order(2)
class PredictTest {
    static final String BOUNDARY = "ich-inference-test-3f9a";

    @Test
    void aSliceGetsTheProbabilityTheTrainedModelGivesItsTrainingPixels() throws Exception {
        Prediction p = predict(PhantomModels::kept);
        JsonPath r = p.answer();
        assertThat(r.getString("model.name")).isEqualTo(PhantomModels.NAME);
        assertThat(r.getString("model.version")).isEqualTo(p.version());
        assertThat(r.getString("slice.sopInstanceUid")).isEqualTo(p.slice().sopInstanceUid());
        assertThat(r.getMap("slice.probabilities")).containsOnlyKeys("any");
        assertThat(r.getFloat("slice.probabilities.any")).isCloseTo(p.expected(), within(1e-5f));
        assertThat(r.getBoolean("slice.brainWindow.passed")).isTrue();
        assertThat(r.getDouble("slice.brainWindow.fraction")).isGreaterThan(0.02);
        assertThat(r.getDouble("slice.timings.preprocessMs")).isPositive();
        assertThat(r.getDouble("slice.timings.modelMs")).isPositive();
        assertThat(r.getInt("slice.timings.batchSize")).isBetween(1, 16);
    }

    @Test
    void aSliceWithoutBrainIsAnsweredAndFlagged() throws Exception {
        Prediction p = predict(PhantomModels::dropped);
        JsonPath r = p.answer();
        assertThat(r.getBoolean("slice.brainWindow.passed")).as("cleaning would drop it").isFalse();
        assertThat(r.getDouble("slice.brainWindow.fraction")).isLessThan(0.02);
        assertThat(r.getDouble("slice.brainWindow.threshold")).isEqualTo(0.02);
        assertThat(r.getFloat("slice.probabilities.any")).isCloseTo(p.expected(), within(1e-5f));
    }

    @Test
    void aStudyIsAnsweredPerSliceInPositionOrderAndPerStudyWithTheSlicesThatDriveIt() throws Exception {
        PhantomModels models = Served.atLeastV1();
        String version = Served.version();
        List<SliceTruth> study = new ArrayList<>(models.study(0));
        Collections.shuffle(study, new Random(3));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (SliceTruth s : study) part(body, "application/dicom", PhantomModels.bytes(s));
        part(body, "application/dicom", "not a DICOM file at all".getBytes(StandardCharsets.US_ASCII));
        body.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));

        JsonPath r = RestAssured.given().contentType("multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY)
                .body(body.toByteArray()).post("/predict/study").then().statusCode(200).extract().jsonPath();
        assertThat(r.getString("model.version")).isEqualTo(version);
        assertThat(r.getString("studyInstanceUid")).isEqualTo(study.get(0).studyInstanceUid());
        List<String> expectedOrder = models.study(0).stream().sorted(Comparator.comparingInt(SliceTruth::sliceIndex))
                .map(SliceTruth::sopInstanceUid).toList();
        assertThat(r.getList("slices.sopInstanceUid", String.class)).as("head to feet, whatever the body's order").isEqualTo(expectedOrder);
        List<Float> probabilities = r.getList("slices.probabilities.any", Float.class);
        for (int i = 0; i < expectedOrder.size(); i++) {
            String uid = expectedOrder.get(i);
            SliceTruth s = models.study(0).stream().filter(t -> t.sopInstanceUid().equals(uid)).findFirst().orElseThrow();
            assertThat(probabilities.get(i)).as(s.sopInstanceUid()).isCloseTo(models.expected(version, s), within(1e-5f));
        }
        // The study's call is made on the slices the drop rule keeps (the phantom study has slices above the head and at the teeth).
        List<Boolean> passed = r.getList("slices.brainWindow.passed", Boolean.class);
        assertThat(passed).contains(true, false);
        float max = -1;
        int top = -1;
        List<String> above = new ArrayList<>();
        for (int i = 0; i < probabilities.size(); i++) {
            if (!passed.get(i)) continue;
            if (probabilities.get(i) > max) {
                max = probabilities.get(i);
                top = i;
            }
            if (probabilities.get(i) > 0.5f) above.add(expectedOrder.get(i));
        }
        assertThat(r.getFloat("study.any.probability")).isEqualTo(max);
        assertThat(r.getString("study.any.slice")).isEqualTo(expectedOrder.get(top));
        assertThat(r.getList("study.any.slicesAbove05", String.class)).isEqualTo(above);
        assertThat(r.getList("failed", Map.class)).hasSize(1);
        assertThat(r.getInt("failed[0].part")).isEqualTo(study.size() + 1);
        assertThat(r.getInt("failed[0].status")).isEqualTo(400);
        assertThat(r.getString("failed[0].problem")).isEqualTo("NotDicom");
        // Whether slices share a pass depends on how fast preprocessing feeds the batcher, so only the report is checked
        // here; that a request's queued images fill whole batches is BatcherFairnessTest's, counted, never timed.
        assertThat(r.getList("slices.timings.batchSize", Integer.class)).as("every slice names its pass's size")
                .hasSize(expectedOrder.size()).allMatch(b -> b >= 1);
    }

    @Test
    void aStudyBodyThatIsNotMultipartRelatedIsRefusedWithTheShapeItNeeds() throws Exception {
        Served.atLeastV1();
        RestAssured.given().contentType("application/dicom").body(new byte[] {1, 2, 3}).post("/predict/study").then().statusCode(415)
                .body("detail", containsString("multipart/related; type=\"application/dicom\""));
        RestAssured.given().contentType("multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY)
                .body("no parts here".getBytes(StandardCharsets.US_ASCII)).post("/predict/study").then().statusCode(400)
                .body("code", org.hamcrest.Matchers.equalTo("MalformedMultipart"));
    }

    static void part(ByteArrayOutputStream body, String type, byte[] bytes) throws Exception {
        body.write(("--" + BOUNDARY + "\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(bytes);
        body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** One slice's answer from the served model, and the probability that model gives the slice's pixels. */
    private record Prediction(SliceTruth slice, String version, JsonPath answer, float expected) {
    }

    /** POST /predict of the phantom slice {@code which} picks, answered 200. */
    private static Prediction predict(Function<PhantomModels, SliceTruth> which) throws Exception {
        PhantomModels models = Served.atLeastV1();
        String version = Served.version();
        SliceTruth slice = which.apply(models);
        JsonPath answer = RestAssured.given().contentType("application/dicom").body(PhantomModels.bytes(slice)).post("/predict").then()
                .statusCode(200).extract().jsonPath();
        return new Prediction(slice, version, answer, models.expected(version, slice));
    }
}
