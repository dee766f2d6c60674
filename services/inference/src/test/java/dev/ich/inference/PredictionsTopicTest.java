package dev.ich.inference;

import dev.ich.core.contract.Topics;
import dev.ich.core.dicom.DicomEdit;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.dicom.DicomRewriter;
import dev.ich.core.dicom.DicomSlice;
import dev.ich.core.event.CloudEvents;
import dev.ich.core.event.Events;
import dev.ich.core.event.SlicePrediction;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Given the phantom model served, when slices are predicted, then each answered slice is on the predictions topic,
 * keyed by its SOP Instance UID, with the model, the probabilities and the call the answer gave, and its subgroup.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@Order(3)
class PredictionsTopicTest {

    @Test
    void aPredictedSliceIsPublishedWithItsModelCallAndSubgroup() throws Exception {
        PhantomModels models = Served.atLeastV1();
        String version = Served.version();
        SliceTruth truth = models.kept();
        // A site that keeps patient characteristics at ingest (docs/security.md): sex and age reach inference.
        byte[] dicom = DicomRewriter.create().rewrite(PhantomModels.bytes(truth),
                new DicomEdit(Set.of(), Set.of(), Map.of("PatientSex", "F", "PatientAge", "067Y"), false));
        DicomSlice header = DicomReader.create().read(dicom, "test");
        Instant before = Instant.now();
        try (TopicTap topic = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.PREDICTIONS)) {
            JsonPath answer = RestAssured.given().contentType("application/dicom").body(dicom).post("/predict").then().statusCode(200)
                    .extract().jsonPath();
            ConsumerRecord<String, String> r = await().atMost(Duration.ofSeconds(30)).until(
                    () -> since(topic, before, p -> SlicePrediction.PREDICT.equals(p.source()) && "F".equals(p.subgroup().patientSex())),
                    l -> l.size() == 1).get(0);
            SlicePrediction p = parse(r);
            assertThat(r.key()).isEqualTo(truth.sopInstanceUid());
            assertThat(TopicTap.header(r, CloudEvents.TYPE)).isEqualTo(SlicePrediction.TYPE);
            assertThat(TopicTap.header(r, CloudEvents.SUBJECT)).isEqualTo(truth.sopInstanceUid());
            assertThat(p.model().name()).isEqualTo(PhantomModels.NAME);
            assertThat(p.model().version()).isEqualTo(version);
            assertThat(p.sopInstanceUid()).isEqualTo(truth.sopInstanceUid());
            assertThat(p.seriesInstanceUid()).isEqualTo(truth.seriesInstanceUid());
            assertThat(p.studyInstanceUid()).isEqualTo(truth.studyInstanceUid());
            double any = answer.getDouble("slice.probabilities.any");
            assertThat(p.probabilities().get("any")).isCloseTo(any, within(1e-6));
            assertThat(p.thresholds()).containsExactly(Map.entry("any", PhantomModels.THRESHOLD));
            assertThat(p.positive()).containsExactly(Map.entry("any", p.probabilities().get("any") >= PhantomModels.THRESHOLD));
            assertThat(p.brainWindowPassed()).isTrue();
            assertThat(p.latencyMs()).isPositive();
            assertThat(p.subgroup()).isEqualTo(new SlicePrediction.Subgroup(header.attributes().bitsStored(),
                    header.attributes().pixelRepresentation(), "F", "60-79"));
        }
    }

    @Test
    void everyAnsweredSliceOfAStudyIsPublishedAndAPartThatFailedIsNot() throws Exception {
        PhantomModels models = Served.atLeastV1();
        String version = Served.version();
        List<SliceTruth> study = models.study(1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (SliceTruth s : study) PredictTest.part(body, "application/dicom", PhantomModels.bytes(s));
        PredictTest.part(body, "application/dicom", "not a DICOM file at all".getBytes(StandardCharsets.US_ASCII));
        body.write(("--" + PredictTest.BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        Set<String> uids = new java.util.HashSet<>(study.stream().map(SliceTruth::sopInstanceUid).toList());
        Instant before = Instant.now();
        try (TopicTap topic = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.PREDICTIONS)) {
            JsonPath answer = RestAssured.given().contentType("multipart/related; type=\"application/dicom\"; boundary=" + PredictTest.BOUNDARY)
                    .body(body.toByteArray()).post("/predict/study").then().statusCode(200).extract().jsonPath();
            List<ConsumerRecord<String, String>> records = await().atMost(Duration.ofSeconds(30)).until(
                    () -> since(topic, before, p -> SlicePrediction.PREDICT.equals(p.source()) && uids.contains(p.sopInstanceUid())),
                    l -> l.size() >= study.size());
            Map<String, Double> answered = new HashMap<>();
            List<String> sops = answer.getList("slices.sopInstanceUid", String.class);
            List<Float> any = answer.getList("slices.probabilities.any", Float.class);
            for (int i = 0; i < sops.size(); i++) answered.put(sops.get(i), (double) any.get(i));
            assertThat(records).as("one record per answered slice, none for the part that is not DICOM").hasSize(study.size());
            assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(uids);
            for (ConsumerRecord<String, String> r : records) {
                SlicePrediction p = parse(r);
                assertThat(p.model().version()).isEqualTo(version);
                assertThat(p.studyInstanceUid()).isEqualTo(study.get(0).studyInstanceUid());
                assertThat(p.probabilities().get("any")).as(p.sopInstanceUid()).isCloseTo(answered.get(p.sopInstanceUid()), within(1e-6));
                assertThat(p.subgroup().bitsStored()).isIn(12, 16);
                assertThat(p.subgroup().patientSex()).as("the phantoms carry no PatientSex").isNull();
            }
            assertThat(records).extracting(r -> parse(r).brainWindowPassed()).as("slices above the head are published too, flagged")
                    .contains(true, false);
        }
    }

    @Test
    void ageStringsFallIntoBands() {
        assertThat(SlicePrediction.ageBand("067Y")).isEqualTo("60-79");
        assertThat(SlicePrediction.ageBand("090Y")).isEqualTo("80+");
        assertThat(SlicePrediction.ageBand("018Y")).isEqualTo("18-39");
        assertThat(SlicePrediction.ageBand("011M")).isEqualTo("0-17");
        assertThat(SlicePrediction.ageBand("950D")).isEqualTo("0-17");
        assertThat(SlicePrediction.ageBand("67")).as("not an Age String").isNull();
        assertThat(SlicePrediction.ageBand(null)).isNull();
    }

    private static List<ConsumerRecord<String, String>> since(TopicTap topic, Instant before, Predicate<SlicePrediction> which) {
        return topic.records().stream().filter(r -> {
            SlicePrediction p = parse(r);
            return !p.predictedAt().isBefore(before) && which.test(p);
        }).toList();
    }

    private static SlicePrediction parse(ConsumerRecord<String, String> r) {
        try {
            return Events.reader(SlicePrediction.class).readValue(r.value());
        } catch (java.io.IOException e) {
            throw new AssertionError("not a SlicePrediction: " + r.value(), e);
        }
    }
}
