package dev.ich.inference;

import dev.ich.core.augment.PlanarImage;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.inference.serving.Serving;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;

/** Given the phantom model served, a slice's Grad-CAM overlay comes back as a PNG of the network's size, its numbers in headers. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@Order(5)
class ExplainTest {
    @Inject
    Explanations explanations;
    @Inject
    Serving serving;

    @Test
    void aSliceExplainedIsItsOverlayAsPngWithTheModelLabelAndProbabilityInHeaders() throws Exception {
        PhantomModels models = Served.atLeastV1();
        String version = Served.version();
        SliceTruth slice = models.kept();
        Response r = RestAssured.given().contentType("application/dicom").body(PhantomModels.bytes(slice)).post("/predict?explain=true");
        r.then().statusCode(200).contentType("image/png");
        assertThat(r.header("X-Ich-Model")).isEqualTo(PhantomModels.NAME);
        assertThat(r.header("X-Ich-Model-Version")).isEqualTo(version);
        assertThat(r.header("X-Ich-Label")).as("the most probable of the model's labels").isEqualTo("any");
        assertThat(r.header("X-Ich-Sop-Instance-Uid")).isEqualTo(slice.sopInstanceUid());
        assertThat(r.header("X-Ich-Brain-Window-Passed")).isEqualTo("true");
        float expected = models.expected(version, slice);
        assertThat(Float.parseFloat(r.header("X-Ich-Probability"))).as("what /predict answers").isCloseTo(expected, within(1e-5f));
        assertThat(r.header("X-Ich-Probabilities")).startsWith("any=");
        BufferedImage png = PlanarImage.readPng(r.asByteArray());
        assertThat(png.getWidth()).isEqualTo(PhantomModels.SIZE);
        assertThat(png.getHeight()).isEqualTo(PhantomModels.SIZE);

        Response named = RestAssured.given().contentType("application/dicom").body(PhantomModels.bytes(slice)).post("/predict?explain=true&label=any");
        named.then().statusCode(200).contentType("image/png");
        assertThat(named.asByteArray()).as("the same pass, the same pixels").isEqualTo(r.asByteArray());
    }

    @Test
    void withoutExplainTheAnswerIsTheJsonOfBefore() throws Exception {
        Served.atLeastV1();
        RestAssured.given().contentType("application/dicom").body(PhantomModels.bytes(PhantomModels.get().kept())).post("/predict")
                .then().statusCode(200).contentType("application/json").body("slice.probabilities.any", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aLabelTheModelDoesNotHaveIsABadRequestThatNamesTheValidOnes() throws Exception {
        PhantomModels models = Served.atLeastV1();
        RestAssured.given().contentType("application/dicom").body(PhantomModels.bytes(models.kept())).post("/predict?explain=true&label=subdural")
                .then().statusCode(400).contentType("application/problem+json").body("code", org.hamcrest.Matchers.equalTo("UnknownLabel"))
                .body("detail", containsString("subdural")).body("detail", containsString(": any"));
        RestAssured.given().contentType("application/dicom").body(PhantomModels.bytes(models.kept())).post("/predict?label=any")
                .then().statusCode(400).body("code", org.hamcrest.Matchers.equalTo("LabelWithoutExplain"));
    }

    @Test
    void aBodyThatIsNoSliceGetsTheProblemOfPredict() throws Exception {
        Served.atLeastV1();
        byte[] junk = "not a DICOM file at all".getBytes(StandardCharsets.US_ASCII);
        String plain = RestAssured.given().contentType("application/dicom").body(junk).post("/predict").then().statusCode(400)
                .extract().path("code");
        RestAssured.given().contentType("application/dicom").body(junk).post("/predict?explain=true").then().statusCode(400)
                .contentType("application/problem+json").body("code", org.hamcrest.Matchers.equalTo(plain));
    }

    @Test
    void anonymousCallersAreRefusedAndReadersAreForbidden() throws Exception {
        PhantomModels models = Served.atLeastV1();
        RestAssured.given().noFilters().contentType("application/dicom").body(PhantomModels.bytes(models.kept()))
                .post("/predict?explain=true").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer " + OidcTestResource.token("ich-reader")).contentType("application/dicom")
                .body(PhantomModels.bytes(models.kept())).post("/predict?explain=true").then().statusCode(403);
    }

    /**
     * Explanations from many threads while predictions run: every one answers, and alike (one gradient collector in the
     * process, on the version's own copy of the network, so nothing collides and the predictors are untouched).
     */
    @Test
    void explanationsRunAlongsidePredictionsAndAgreeWithThem() throws Exception {
        PhantomModels models = Served.atLeastV1();
        SliceTruth slice = models.kept();
        byte[] dicom = PhantomModels.bytes(slice);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Serving.Lease lease = serving.lease()) {
            float expected = models.expected(lease.model().version(), slice);
            List<Future<Explanation>> explained = new ArrayList<>();
            List<Future<Integer>> predicted = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String label = i % 2 == 0 ? null : "any";
                explained.add(pool.submit(() -> explanations.explain(lease.model(), dicom, label)));
                predicted.add(pool.submit(() -> RestAssured.given().contentType("application/dicom").body(dicom).post("/predict").statusCode()));
            }
            Explanation first = explained.get(0).get();
            assertThat(first.sopInstanceUid()).isEqualTo(slice.sopInstanceUid());
            assertThat(first.label()).isEqualTo("any");
            assertThat(first.probability()).isCloseTo(expected, within(1e-5));
            assertThat(first.cam()).hasNumberOfRows(PhantomModels.SIZE);
            assertThat(first.cam()[0]).hasSize(PhantomModels.SIZE);
            assertThat(first.overlay().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
            assertThat(PlanarImage.readPng(first.png()).getWidth()).isEqualTo(PhantomModels.SIZE);
            for (Future<Explanation> f : explained) assertThat(f.get().cam()).isDeepEqualTo(first.cam());
            for (Future<Integer> f : predicted) assertThat(f.get()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
    }
}
