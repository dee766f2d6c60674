package dev.ich.cleaning;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.CloudEvents;
import dev.ich.core.event.DicomIngested;
import dev.ich.core.event.SliceCleaned;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.Quirk;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** Given phantom studies in storage and announced on dicom-ingested, then every slice becomes a row and, if kept, a PNG. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class CleaningFlowTest {

    @Test
    void everyPhantomSliceBecomesOneRowWithTheRightDecisionAndImage() throws Exception {
        PhantomSet set = PhantomUploads.generate(5, 6, 41, true);
        ObjectStore store = S3TestResource.store();
        for (SliceTruth t : set.slices()) {
            DicomIngested event = PhantomUploads.upload(store, t);
            TopicTap.send(Topics.DICOM_INGESTED, event, t.sopInstanceUid());
        }

        try (TopicTap cleaned = new TopicTap(Topics.SLICES_CLEANED)) {
            Map<String, ConsumerRecord<String, String>> bySop = await().atMost(Duration.ofSeconds(90)).until(() -> latest(cleaned),
                    m -> m.keySet().containsAll(set.slices().stream().map(SliceTruth::sopInstanceUid).toList()));

            int kept = 0, dropped = 0, fixed = 0;
            for (SliceTruth t : set.slices()) {
                ConsumerRecord<String, String> record = bySop.get(t.sopInstanceUid());
                assertThat(TopicTap.header(record, CloudEvents.TYPE)).isEqualTo(SliceCleaned.TYPE);
                SliceCleaned s = TopicTap.slice(record);
                assertThat(s.studyInstanceUid()).isEqualTo(t.studyInstanceUid());
                if (t.has(Quirk.SHORT_PIXEL_DATA)) {
                    // unreadable is data: a row that says why, no image, no dead letter
                    assertThat(s.error().problem()).isEqualTo("ShortPixelData");
                    assertThat(s.error().reason()).isNotBlank();
                    assertThat(s.kept()).isFalse();
                    assertThat(s.cleanedKey()).isNull();
                    continue;
                }
                assertThat(s.error()).isNull();
                assertThat(((Number) s.row().get("img_pct_window")).doubleValue()).as(t.file().toString())
                        .isCloseTo(t.brainWindowFraction(), within(1e-9));
                assertThat(s.kept()).as(t.file().toString()).isEqualTo(t.brainWindowFraction() >= 0.02);
                assertThat(s.row()).containsEntry("pipeline", s.pipeline()).containsEntry("kept", s.kept());
                if (t.has(Quirk.MIS_ENCODED_12_BIT)) {
                    assertThat(s.row()).as("the seed's pixel fix").containsEntry("pixel_fixed", 1);
                    fixed++;
                }
                if (s.kept()) {
                    kept++;
                    BufferedImage png = ImageIO.read(new ByteArrayInputStream(store.get(s.cleanedKey())));
                    assertThat(png.getWidth()).isEqualTo(64);
                    assertThat(png.getHeight()).isEqualTo(64);
                    assertThat(png.getRaster().getNumBands()).isEqualTo(3);
                } else {
                    dropped++;
                    assertThat(s.dropReason()).isEqualTo("below_brain_window_threshold");
                    assertThat(s.cleanedKey()).isNull();
                }
            }
            assertThat(kept).isGreaterThan(10);
            assertThat(fixed).as("a mis-encoded 12-bit study among five").isGreaterThan(0);
            // the empty top (above the vertex) and bottom (teeth) slice of every study are dropped
            Map<String, List<SliceTruth>> studies = set.slices().stream().filter(t -> !t.has(Quirk.SHORT_PIXEL_DATA))
                    .collect(Collectors.groupingBy(SliceTruth::studyInstanceUid));
            for (List<SliceTruth> study : studies.values()) {
                SliceTruth top = study.stream().min(Comparator.comparingInt(SliceTruth::sliceIndex)).orElseThrow();
                assertThat(TopicTap.slice(bySop.get(top.sopInstanceUid())).kept()).as("top slice kept").isFalse();
            }
            assertThat(dropped).isGreaterThanOrEqualTo(studies.size());
            assertThat(store.stat("clean/" + TopicTap.slice(bySop.values().iterator().next()).pipeline() + "/pipeline.json"))
                    .isPresent();
        }
    }

    static Map<String, ConsumerRecord<String, String>> latest(TopicTap tap) {
        return tap.records().stream().collect(Collectors.toMap(ConsumerRecord::key, Function.identity(), (a, b) -> b));
    }
}
