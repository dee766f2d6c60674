package dev.ich.cleaning;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.DicomIngested;
import dev.ich.core.event.SliceCleaned;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.Management;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At-least-once delivery: poison goes to the dead-letter topic and the stream moves on; a redelivery changes nothing;
 * an event sent again with its CloudEvents id is not cleaned again.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class DeliveryTest {

    @Test
    void poisonMessagesGoToTheDeadLetterTopicWhileTheNextMessageIsStillCleaned() throws Exception {
        PhantomSet set = PhantomUploads.generate(1, 4, 77, false);
        SliceTruth good = set.slices().get(1);
        SliceTruth missing = set.slices().get(2);
        DicomIngested goodEvent = PhantomUploads.upload(S3TestResource.store(), good);
        // an event for an object nobody stored: ingest promises never to send one, so this is data loss upstream
        DicomIngested missingEvent = PhantomUploads.event(missing, PhantomUploads.rawKey(missing), "00", 1);

        TopicTap.send(Topics.DICOM_INGESTED, "poison-json", "{this is not json");
        TopicTap.send(Topics.DICOM_INGESTED, missingEvent, missing.sopInstanceUid());
        TopicTap.send(Topics.DICOM_INGESTED, goodEvent, good.sopInstanceUid());

        try (TopicTap dead = new TopicTap(Topics.deadLetter(Topics.DICOM_INGESTED));
             TopicTap cleaned = new TopicTap(Topics.SLICES_CLEANED)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> cleaned.forKey(good.sopInstanceUid()), r -> !r.isEmpty());
            ConsumerRecord<String, String> json = await().atMost(Duration.ofSeconds(30))
                    .until(() -> dead.forKey("poison-json"), r -> !r.isEmpty()).get(0);
            assertThat(json.value()).isEqualTo("{this is not json");
            assertThat(TopicTap.header(json, "dead-letter-reason")).startsWith("not a dicom-ingested event");
            ConsumerRecord<String, String> lost = await().atMost(Duration.ofSeconds(30))
                    .until(() -> dead.forKey(missing.sopInstanceUid()), r -> !r.isEmpty()).get(0);
            assertThat(TopicTap.header(lost, "dead-letter-reason"))
                    .contains("raw object " + PhantomUploads.rawKey(missing) + " does not exist");
            assertThat(TopicTap.header(lost, "dead-letter-topic")).isEqualTo(Topics.DICOM_INGESTED);
            assertThat(cleaned.forKey(missing.sopInstanceUid())).isEmpty();
        }
    }

    @Test
    void anEventIngestSendsAgainWithItsIdIsCleanedOnceAndANewEventForTheSameSliceAgain() throws Exception {
        PhantomSet set = PhantomUploads.generate(1, 6, 79, false);
        SliceTruth slice = set.slices().get(3);
        DicomIngested event = PhantomUploads.upload(S3TestResource.store(), slice);
        String id = UUID.randomUUID().toString();
        double repeatsBefore = Management.metric("ich_events_repeated_total", "topic=\"dicom-ingested\"");

        try (TopicTap cleaned = new TopicTap(Topics.SLICES_CLEANED)) {
            TopicTap.sendEvent(Topics.DICOM_INGESTED, event, slice.sopInstanceUid(), DicomIngested.TYPE, id);
            await().atMost(Duration.ofSeconds(60)).until(() -> cleaned.forKey(slice.sopInstanceUid()), r -> r.size() == 1);

            // ingest's retry after a lost acknowledgement: same id, same key, same payload
            TopicTap.sendEvent(Topics.DICOM_INGESTED, event, slice.sopInstanceUid(), DicomIngested.TYPE, id);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    Management.metric("ich_events_repeated_total", "topic=\"dicom-ingested\"") == repeatsBefore + 1);
            assertThat(cleaned.forKey(slice.sopInstanceUid())).hasSize(1);

            // another event about the same slice is no repeat
            TopicTap.sendEvent(Topics.DICOM_INGESTED, event, slice.sopInstanceUid(), DicomIngested.TYPE, UUID.randomUUID().toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> cleaned.forKey(slice.sopInstanceUid()), r -> r.size() == 2);
        }
    }

    @Test
    void theSameEventTwiceGivesTheSameRowAndTheSameObject() throws Exception {
        PhantomSet set = PhantomUploads.generate(1, 6, 78, false);
        SliceTruth mid = set.slices().stream().filter(t -> t.brainWindowFraction() > 0.2).findFirst().orElseThrow();
        ObjectStore store = S3TestResource.store();
        DicomIngested event = PhantomUploads.upload(store, mid);

        try (TopicTap cleaned = new TopicTap(Topics.SLICES_CLEANED)) {
            TopicTap.send(Topics.DICOM_INGESTED, event, mid.sopInstanceUid());
            SliceCleaned first = TopicTap.slice(await().atMost(Duration.ofSeconds(60))
                    .until(() -> cleaned.forKey(mid.sopInstanceUid()), r -> r.size() == 1).get(0));
            assertThat(first.kept()).isTrue();
            String etag = store.stat(first.cleanedKey()).orElseThrow().etag();

            TopicTap.send(Topics.DICOM_INGESTED, event, mid.sopInstanceUid());
            List<ConsumerRecord<String, String>> both = await().atMost(Duration.ofSeconds(60))
                    .until(() -> cleaned.forKey(mid.sopInstanceUid()), r -> r.size() == 2);

            // same key, same payload byte for byte: compaction keeps one row, and it is the same row
            assertThat(both.get(1).value()).isEqualTo(both.get(0).value());
            assertThat(TopicTap.slice(both.get(1))).isEqualTo(first);
            assertThat(store.stat(first.cleanedKey()).orElseThrow().etag()).isEqualTo(etag);
            assertThat(first.cleanedKey()).isEqualTo(ObjectKeys.CLEAN_PREFIX + first.pipeline() + "/" + mid.sopInstanceUid() + ".png");
        }
    }
}
