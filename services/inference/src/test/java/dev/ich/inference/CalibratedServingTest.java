package dev.ich.inference;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.ModelPublished;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * A version whose model.json carries {@code calibration.temperature} answers sigmoid(logit(p) / T) of what its network
 * gives, on /predict and on an explanation; one without the block answers the network's p unchanged; a block that
 * misses a label's temperature is not served.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@Order(6)
class CalibratedServingTest {
    static final double TEMPERATURE = 2.0;

    static float calibrated(float p, double t) {
        double q = Math.min(1 - 1e-7, Math.max(1e-7, p));
        return (float) (1 / (1 + Math.exp(-Math.log(q / (1 - q)) / t)));
    }

    @Test
    void aTemperatureInModelJsonIsAppliedToEveryServedProbabilityAndItsAbsenceChangesNothing() throws Exception {
        PhantomModels models = Served.atLeastV1();
        SliceTruth slice = models.kept();
        float raw = models.expected("v1", slice);
        float expected = calibrated(raw, TEMPERATURE);
        assertThat(Math.abs(expected - raw)).as("the test slice's probability moves measurably at T = 2 (raw " + raw + ")")
                .isGreaterThan(1e-3f);
        models.storeWithCalibration("v8", Map.of("method", "fixed for the tests", "temperature", Map.of("any", TEMPERATURE)));
        try {
            PhantomModels.promote("v8");
            await().atMost(Duration.ofSeconds(90)).until(() -> "v8".equals(Served.version()));
            float served = RestAssured.given().contentType("application/dicom").body(PhantomModels.bytes(slice)).post("/predict").then()
                    .statusCode(200).extract().jsonPath().getFloat("slice.probabilities.any");
            assertThat(served).as("sigmoid(logit(%s) / %s)", raw, TEMPERATURE).isCloseTo(expected, within(1e-5f));
            Response explained = RestAssured.given().contentType("application/dicom").body(PhantomModels.bytes(slice))
                    .post("/predict?explain=true");
            explained.then().statusCode(200);
            assertThat(Float.parseFloat(explained.header("X-Ich-Probability"))).as("the explanation's pass, calibrated too")
                    .isCloseTo(expected, within(1e-5f));

            // A calibration block without a temperature for one of the labels: refused (dead letter), v8 keeps serving.
            models.storeWithCalibration("v9", Map.of("temperature", Map.of("epidural", 1.5)));
            try (TopicTap dlq = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.deadLetter(Topics.MODELS_PUBLISHED));
                 TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
                producer.sendJson(Topics.MODELS_PUBLISHED, PhantomModels.NAME, new ModelPublished(PhantomModels.NAME, "v9",
                        ObjectKeys.model(PhantomModels.NAME, "v9"), Map.of(), "phantom@v1", PhantomModels.preprocessing(), Instant.now()));
                List<ConsumerRecord<String, String>> dead = await().atMost(Duration.ofSeconds(90)).until(dlq::records,
                        r -> r.stream().anyMatch(x -> x.value().contains("\"v9\"")));
                assertThat(dead.stream().filter(x -> x.value().contains("\"v9\"")).findFirst().map(x -> TopicTap.header(x, "dead-letter-reason")))
                        .hasValueSatisfying(reason -> assertThat(reason).contains("no positive temperature for any"));
            }
            assertThat(Served.version()).isEqualTo("v8");
        } finally {
            // What the later test classes expect: v1 serving.
            PhantomModels.promote("v1");
            await().atMost(Duration.ofSeconds(90)).until(() -> "v1".equals(Served.version()));
        }
        float unchanged = RestAssured.given().contentType("application/dicom").body(PhantomModels.bytes(slice)).post("/predict").then()
                .statusCode(200).extract().jsonPath().getFloat("slice.probabilities.any");
        assertThat(unchanged).as("v1's model.json has no calibration: the network's probability as it is").isCloseTo(raw, within(1e-5f));
    }
}
