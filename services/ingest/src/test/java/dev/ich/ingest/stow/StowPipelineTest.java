package dev.ich.ingest.stow;

import dev.ich.ingest.DimsePortResource;
import dev.ich.ingest.Fixtures;
import dev.ich.ingest.IngestedEvents;
import dev.ich.ingest.Ingestor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.CloudEvents;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.ingest.Fixtures.Part;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The parts of one STOW-RS request are ingested several at a time (ich.ingest.stow-parallelism), and the Kafka
 * acknowledgements of their events are awaited together at the end. The answer is still that of one part after the
 * other: in the order the parts were sent, each with its own outcome, one instance stored once however often it comes,
 * and nothing said stored before its event is acknowledged or its pending marker written.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class StowPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twelveInstancesWithBadPartsBetweenThemAreAnsweredInTheOrderTheyWereSent() throws Exception {
        List<SliceTruth> slices = slices(1901, 12);
        List<Part> parts = new ArrayList<>(slices.stream().map(s -> Part.dicom(Fixtures.bytes(s))).toList());
        parts.add(6, Part.dicom("a letter, not an instance".getBytes()));
        parts.add(10, new Part("text/plain", "nor this".getBytes()));

        JsonNode body = stow(parts, 202);

        assertThat(uids(body, "00081199")).containsExactlyElementsOf(slices.stream().map(SliceTruth::sopInstanceUid).toList());
        assertThat(texts(body, "00081199", "00091001")).hasSize(12).containsOnly("stored");
        assertThat(texts(body, "00081198", "00091001")).containsExactly("NotDicom", "WrongContentType");
        for (SliceTruth s : slices) {
            assertThat(S3TestResource.store().get(key(s))).as(s.sopInstanceUid()).isEqualTo(Fixtures.stored(s));
        }
    }

    /**
     * Sixteen copies of one instance in one request are checked for duplicates at the same time; the instance is stored
     * once, the other fifteen are duplicates of it, and every event of it carries the one id.
     */
    @Test
    void sixteenCopiesOfOneInstanceInOneRequestStoreItOnce() throws Exception {
        SliceTruth slice = slices(1902, 4).get(0);
        byte[] bytes = Fixtures.bytes(slice);

        try (IngestedEvents events = new IngestedEvents()) {
            JsonNode body = stow(Collections.nCopies(16, Part.dicom(bytes)), 200);

            assertThat(uids(body, "00081199")).hasSize(16).containsOnly(slice.sopInstanceUid());
            List<String> outcomes = texts(body, "00081199", "00091001");
            assertThat(outcomes.stream().filter("stored"::equals)).hasSize(1);
            assertThat(outcomes.stream().filter("duplicate"::equals)).hasSize(15);
            assertThat(S3TestResource.store().get(key(slice))).isEqualTo(Fixtures.stored(slice));
            String id = CloudEvents.idFor(dev.ich.core.event.DicomIngested.TYPE, slice.sopInstanceUid(),
                    Ingestor.sha256(Fixtures.stored(slice)));
            await().atMost(Duration.ofSeconds(30)).until(() -> events.about(slice.sopInstanceUid()).size() >= 16);
            assertThat(events.about(slice.sopInstanceUid())).allMatch(e -> id.equals(e.headers().get(CloudEvents.ID)));
        }
    }

    /**
     * With Kafka down, every send of the request fails after the ack timeout, all of them at once; each instance is
     * answered stored only because its pending marker is in the bucket by then, and the events follow once the broker is back.
     */
    @Test
    void withKafkaDownEveryInstanceAnsweredStoredHasItsMarkerWhenTheAnswerComes() throws Exception {
        List<SliceTruth> slices = slices(1903, 6);
        KafkaTestResource.stopBroker();
        try {
            JsonNode body = stow(slices.stream().map(s -> Part.dicom(Fixtures.bytes(s))).toList(), 200);

            assertThat(uids(body, "00081199")).containsExactlyElementsOf(slices.stream().map(SliceTruth::sopInstanceUid).toList());
            assertThat(texts(body, "00081199", "00091001")).containsOnly("stored");
            // no waiting here: the answer itself promises that each event is durable
            for (SliceTruth s : slices) {
                assertThat(S3TestResource.store().stat(ObjectKeys.ingestPending(s.sopInstanceUid()))).as(s.sopInstanceUid()).isPresent();
            }
        } finally {
            KafkaTestResource.restartBroker();
        }

        try (IngestedEvents events = new IngestedEvents()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> slices.stream().allMatch(s -> !events.about(s.sopInstanceUid()).isEmpty()));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> slices.stream()
                .allMatch(s -> S3TestResource.store().stat(ObjectKeys.ingestPending(s.sopInstanceUid())).isEmpty()));
    }

    private static List<SliceTruth> slices(long seed, int count) throws Exception {
        return new PhantomGenerator(PhantomOptions.of(1, seed).withSlicesPerStudy(count).withSize(128))
                .generate(Files.createTempDirectory("ich-stow-pipeline-" + seed)).slices();
    }

    private static JsonNode stow(List<Part> parts, int status) throws Exception {
        String body = given().contentType(Fixtures.STOW_TYPE).body(Fixtures.multipart(parts)).when().post("/studies")
                .then().statusCode(status).extract().asString();
        return JSON.readTree(body);
    }

    private static List<String> uids(JsonNode body, String sequence) {
        return texts(body, sequence, "00081155");
    }

    private static List<String> texts(JsonNode body, String sequence, String tag) {
        return StreamSupport.stream(body.path(sequence).path("Value").spliterator(), false)
                .map(item -> item.path(tag).path("Value").path(0).asText()).toList();
    }

    private static String key(SliceTruth s) {
        return ObjectKeys.raw(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid());
    }
}
