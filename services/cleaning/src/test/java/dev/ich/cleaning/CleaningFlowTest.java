package dev.ich.cleaning;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.CloudEvents;
import dev.ich.core.event.DicomIngested;
import dev.ich.core.event.SliceCleaned;
import dev.ich.core.phantom.HostileDicom;
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
                    assertThat(s.row()).as("the notebooks' pixel fix").containsEntry("pixel_fixed", 1);
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

    /**
     * Hostile objects that reached raw/ before ingest refused such things at its door (or by another way): each
     * becomes an unreadable row with its reason, in bounded memory, and the slices after them are still cleaned.
     */
    @Test
    void hostileRawObjectsBecomeUnreadableRowsWithTheirReason() throws Exception {
        ObjectStore store = S3TestResource.store();
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        List<HostileDicom.Instance> hostile = List.of(HostileDicom.deflatedPixelBomb(51_001, 1024), HostileDicom.deflatedHugeElement(51_002, 1024),
                HostileDicom.nestedSequences(51_003, 10_000, HostileDicom.Nesting.EXPLICIT_SQ, false),
                HostileDicom.nestedSequences(51_004, 10_000, HostileDicom.Nesting.IMPLICIT_SQ, true),
                HostileDicom.rleLargerThanDeclared(51_005, 1024), HostileDicom.jpegLargerThanDeclared(51_006, 30_000, 30_000));
        List<String> problems = List.of("InflationBudget", "InflationBudget", "TooDeep", "TooDeep", "InflationBudget", "InflationBudget");
        for (int i = 0; i < hostile.size(); i++) {
            HostileDicom.Instance h = hostile.get(i);
            String key = dev.ich.core.contract.ObjectKeys.raw(h.studyInstanceUid(), h.seriesInstanceUid(), h.sopInstanceUid());
            store.put(key, h.bytes(), "application/dicom", Map.of());
            TopicTap.send(Topics.DICOM_INGESTED, new DicomIngested(h.sopInstanceUid(), h.studyInstanceUid(), h.seriesInstanceUid(), "ID_HOSTILE",
                    key, "0".repeat(64), h.bytes().length, "1.2.840.10008.1.2.1", dev.ich.core.event.IngestSource.UPLOAD,
                    java.time.Instant.parse("2026-01-01T00:00:00Z")), h.sopInstanceUid());
            expected.put(h.sopInstanceUid(), problems.get(i));
        }
        SliceTruth after = PhantomUploads.generate(1, 4, 52, false).slices().get(1);
        TopicTap.send(Topics.DICOM_INGESTED, PhantomUploads.upload(store, after), after.sopInstanceUid());

        try (TopicTap cleaned = new TopicTap(Topics.SLICES_CLEANED)) {
            Map<String, ConsumerRecord<String, String>> bySop = await().atMost(Duration.ofSeconds(90)).until(() -> latest(cleaned),
                    m -> m.keySet().containsAll(expected.keySet()) && m.containsKey(after.sopInstanceUid()));
            for (Map.Entry<String, String> e : expected.entrySet()) {
                SliceCleaned s = TopicTap.slice(bySop.get(e.getKey()));
                assertThat(s.error()).as(e.getKey()).isNotNull();
                assertThat(s.error().problem()).as(s.error().reason()).isEqualTo(e.getValue());
                assertThat(s.dropReason()).isEqualTo("unreadable");
                assertThat(s.kept()).isFalse();
            }
            assertThat(TopicTap.slice(bySop.get(after.sopInstanceUid())).error()).isNull();
        }
    }

    static Map<String, ConsumerRecord<String, String>> latest(TopicTap tap) {
        return tap.records().stream().collect(Collectors.toMap(ConsumerRecord::key, Function.identity(), (a, b) -> b));
    }
}
