package dev.ich.labeling;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.SlicePrediction;
import dev.ich.core.event.SlicePrediction.Subgroup;
import dev.ich.core.event.StudyPredicted.ModelRef;
import dev.ich.core.label.Label;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.labeling.drift.PredictionDrift;
import dev.ich.testkit.CleanedPhantoms;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * Given the phantom cohort's labels and inference's predictions of five labelled-positive and five labelled-negative
 * slices with known calls, then the exploration's drift section has the call rate, the observed rate, sensitivity and
 * specificity per model version, ISO week and subgroup that those calls give.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class PredictionDriftTest {
    /** A model name of this test's own: other tests' predictions never fall into its cells. */
    static final String MODEL = "drift-test-" + UUID.randomUUID().toString().substring(0, 8);
    /** A Wednesday of ISO week 2026-W10, and one of week 11. */
    static final Instant WEEK_10 = Instant.parse("2026-03-04T10:00:00Z");
    static final Instant WEEK_11 = Instant.parse("2026-03-11T10:00:00Z");

    @Test
    void callsJoinedWithLabelsGiveTheRatesPerVersionWeekAndSubgroup() throws Exception {
        CleanedPhantoms c = Phantoms.published();
        int labels = RestAssured.given().contentType("text/csv").body(Files.readAllBytes(c.labelsCsv())).post("/labels").then()
                .statusCode(201).extract().jsonPath().getInt("version");
        List<SliceTruth> p = c.set().slices().stream().filter(s -> s.has(Label.ANY)).limit(5).toList();
        List<SliceTruth> n = c.set().slices().stream().filter(s -> !s.has(Label.ANY)).limit(5).toList();
        assertThat(p).hasSize(5);
        assertThat(n).hasSize(5);
        Subgroup bits12F = new Subgroup(12, 0, "F", "60-79"), bits12 = new Subgroup(12, 0, null, null);
        Subgroup bits16F = new Subgroup(16, 1, "F", null), bits16 = new Subgroup(16, 1, null, null);
        List<SlicePrediction> v1 = List.of(
                call(p.get(0), "v1", true, bits12F, WEEK_10), call(p.get(1), "v1", true, bits12F, WEEK_10),
                call(n.get(0), "v1", true, bits12, WEEK_10), call(n.get(1), "v1", false, bits12, WEEK_10),
                call(p.get(2), "v1", true, bits16F, WEEK_10), call(p.get(3), "v1", true, bits16, WEEK_10),
                call(p.get(4), "v1", false, bits16, WEEK_10), call(n.get(2), "v1", false, bits16, WEEK_10),
                call(n.get(3), "v1", false, bits16, WEEK_10), call(n.get(4), "v1", false, bits16, WEEK_10));
        SliceTruth unlabeled = new SliceTruth("9", "1.2.826.0.1.3680043.9.9999.1", p.get(0).studyInstanceUid(), p.get(0).seriesInstanceUid(),
                "x", 0, 0, java.util.Set.of(), java.util.Set.of(), null, 0, 0, java.util.Optional.empty(), 0);
        List<SlicePrediction> later = List.of(call(p.get(0), "v2", true, bits12, WEEK_11), call(unlabeled, "v2", false, bits12, WEEK_11),
                new SlicePrediction(new ModelRef(MODEL, "v3"), null, null, n.get(0).sopInstanceUid(), Map.of("any", 0.2), Map.of(), Map.of(),
                        true, 3.0, bits12, SlicePrediction.OIP, WEEK_11));
        String repeatedId = UUID.randomUUID().toString();
        try (TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            producer.sendEvent(Topics.PREDICTIONS, v1.get(0).sopInstanceUid(), v1.get(0), SlicePrediction.TYPE, repeatedId);
            for (SlicePrediction e : v1.subList(1, v1.size())) send(producer, e);
            for (SlicePrediction e : later) send(producer, e);
            await().atMost(Duration.ofSeconds(30)).until(() -> predictions(cell(labels, "v1", "2026-W10", PredictionDrift.ALL, "all")) == 10
                    && predictions(cell(labels, "v2", "2026-W11", PredictionDrift.ALL, "all")) == 2
                    && predictions(cell(labels, "v3", "2026-W11", PredictionDrift.ALL, "all")) == 1);
            double stored = Management.metric("ich_labeling_predictions_total", "");
            // inference's publish tried again: the same record with the same id changes nothing
            producer.sendEvent(Topics.PREDICTIONS, v1.get(0).sopInstanceUid(), v1.get(0), SlicePrediction.TYPE, repeatedId);
            // a marker after it, under the same key (the same partition): once the marker is in, the repeat was read
            send(producer, call(p.get(0), "v4", true, bits12, WEEK_11));
            await().atMost(Duration.ofSeconds(30)).until(() -> cell(labels, "v4", "2026-W11", PredictionDrift.ALL, "all") != null);
            assertThat(Management.metric("ich_labeling_predictions_total", "")).isEqualTo(stored + 1);
        }

        expect(cell(labels, "v1", "2026-W10", PredictionDrift.ALL, "all"), 10, 10, 5, 10, 5, 0.8, 0.8);
        expect(cell(labels, "v1", "2026-W10", PredictionDrift.SCANNER, "12/0"), 4, 4, 3, 4, 2, 1.0, 0.5);
        expect(cell(labels, "v1", "2026-W10", PredictionDrift.SCANNER, "16/1"), 6, 6, 2, 6, 3, 2.0 / 3, 1.0);
        expect(cell(labels, "v1", "2026-W10", PredictionDrift.SEX, "F"), 3, 3, 3, 3, 3, 1.0, null);
        expect(cell(labels, "v1", "2026-W10", PredictionDrift.AGE, "60-79"), 2, 2, 2, 2, 2, 1.0, null);
        assertThat(cell(labels, "v1", "2026-W10", PredictionDrift.SEX, "M")).as("no such group").isNull();
        expect(cell(labels, "v2", "2026-W11", PredictionDrift.ALL, "all"), 2, 2, 1, 1, 1, 1.0, null);
        Map<String, Object> v3 = cell(labels, "v3", "2026-W11", PredictionDrift.ALL, "all");
        assertThat(((Number) v3.get("called")).longValue()).as("a version without an operating point calls nothing").isZero();
        assertThat(v3.get("callRate")).isNull();
        assertThat(cell(labels, "v1", "2026-W11", PredictionDrift.ALL, "all")).as("v1 predicted nothing in week 11").isNull();

        String page = RestAssured.given().queryParam("labels", labels).get("/exploration/report").then().statusCode(200).extract().asString();
        assertThat(page).contains("Prediction drift").contains(MODEL + " v1").contains("2026-W10").contains("16/1");
    }

    @Test
    void aRecordThatIsNotAPredictionGoesToTheDeadLetterTopic() throws Exception {
        Phantoms.published();
        try (TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers());
             TopicTap dlq = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.deadLetter(Topics.PREDICTIONS))) {
            producer.send(Topics.PREDICTIONS, "1.2.3", "{not json");
            producer.send(Topics.PREDICTIONS, "1.2.4", "{\"sopInstanceUid\":\"1.2.4\",\"predictedAt\":\"2026-03-04T10:00:00Z\"}");
            List<ConsumerRecord<String, String>> dead = await().atMost(Duration.ofSeconds(30)).until(dlq::records, r -> r.size() >= 2);
            assertThat(dead).extracting(r -> TopicTap.header(r, "dead-letter-reason"))
                    .anySatisfy(reason -> assertThat(reason).contains("not a slice prediction"))
                    .anySatisfy(reason -> assertThat(reason).contains("names no model"));
        }
        RestAssured.get("/exploration").then().statusCode(200).body("drift.label", containsString("any"));
    }

    private static void send(TopicTap.Producer producer, SlicePrediction e) throws Exception {
        producer.sendEvent(Topics.PREDICTIONS, e.sopInstanceUid(), e, SlicePrediction.TYPE, UUID.randomUUID().toString());
    }

    private static SlicePrediction call(SliceTruth s, String version, boolean positive, Subgroup subgroup, Instant at) {
        return new SlicePrediction(new ModelRef(MODEL, version), s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid(),
                Map.of("any", positive ? 0.9 : 0.1), Map.of("any", 0.5), Map.of("any", positive), true, 12.5, subgroup,
                SlicePrediction.TRIAGE, at);
    }

    private static long predictions(Map<String, Object> cell) {
        return cell == null ? 0 : ((Number) cell.get("predictions")).longValue();
    }

    private static Map<String, Object> cell(int labels, String version, String week, String subgroup, String group) {
        List<Map<String, Object>> cells = RestAssured.given().queryParam("labels", labels).get("/exploration").then().statusCode(200)
                .extract().jsonPath().getList("drift.cells");
        List<Map<String, Object>> found = new ArrayList<>();
        for (Map<String, Object> c : cells) {
            if (MODEL.equals(c.get("model")) && version.equals(c.get("version")) && week.equals(c.get("week"))
                    && subgroup.equals(c.get("subgroup")) && group.equals(c.get("group"))) found.add(c);
        }
        assertThat(found).hasSizeLessThanOrEqualTo(1);
        return found.isEmpty() ? null : found.get(0);
    }

    private static void expect(Map<String, Object> cell, long predictions, long called, long positiveCalls, long labeled,
                               long labeledPositive, Double sensitivity, Double specificity) {
        assertThat(cell).isNotNull();
        assertThat(((Number) cell.get("predictions")).longValue()).as("predictions").isEqualTo(predictions);
        assertThat(((Number) cell.get("called")).longValue()).as("called").isEqualTo(called);
        assertThat(((Number) cell.get("positiveCalls")).longValue()).as("positive calls").isEqualTo(positiveCalls);
        assertThat(((Number) cell.get("callRate")).doubleValue()).as("call rate").isCloseTo((double) positiveCalls / called, within(1e-6));
        assertThat(((Number) cell.get("labeled")).longValue()).as("labeled").isEqualTo(labeled);
        assertThat(((Number) cell.get("labeledPositive")).longValue()).as("labelled positive").isEqualTo(labeledPositive);
        assertThat(((Number) cell.get("observedRate")).doubleValue()).as("observed rate").isCloseTo((double) labeledPositive / labeled, within(1e-6));
        if (sensitivity == null) assertThat(cell.get("sensitivity")).as("sensitivity").isNull();
        else assertThat(((Number) cell.get("sensitivity")).doubleValue()).as("sensitivity").isCloseTo(sensitivity, within(1e-6));
        if (specificity == null) assertThat(cell.get("specificity")).as("specificity").isNull();
        else assertThat(((Number) cell.get("specificity")).doubleValue()).as("specificity").isCloseTo(specificity, within(1e-6));
    }
}
