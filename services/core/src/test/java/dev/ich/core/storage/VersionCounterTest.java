package dev.ich.core.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Given a series whose newest version is deleted, then the next claim still goes above it, also for a counter made anew. */
class VersionCounterTest {
    /** The mark as a bucket holds it: bytes under a key, outliving any one counter object. */
    private final Map<String, byte[]> bucket = new HashMap<>();
    private final VersionCounter.Marks marks = new VersionCounter.Marks() {
        public Optional<byte[]> read(String key) {
            return Optional.ofNullable(bucket.get(key));
        }

        public void write(String key, byte[] json) {
            bucket.put(key, json);
        }
    };

    @Test
    void aDeletedNewestVersionKeepsItsNumber() {
        VersionCounter labels = new VersionCounter(marks, "labels/high-water.json");
        assertThat(labels.claim(0)).isEqualTo(1);
        assertThat(labels.claim(1)).isEqualTo(2);
        // v2 deleted: the highest existing version is 1 again, and max(existing) + 1 would say 2
        assertThat(labels.claim(1)).isEqualTo(3);
        assertThat(new VersionCounter(marks, "labels/high-water.json").claim(1)).as("after a restart").isEqualTo(4);
        assertThat(labels.highWater()).isEqualTo(4);
    }

    @Test
    void aBucketWrittenBeforeMarksExistedIsNumberedAboveItsVersions() {
        VersionCounter models = new VersionCounter(marks, "models/m/high-water.json");
        assertThat(models.highWater()).isZero();
        assertThat(models.claim(7)).isEqualTo(8);
        assertThat(new String(bucket.get("models/m/high-water.json"), StandardCharsets.UTF_8)).contains("\"highest\": 8");
    }

    @Test
    void anUnreadableMarkStopsNumberingInsteadOfGuessing() {
        bucket.put("datasets/d/high-water.json", "not json".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new VersionCounter(marks, "datasets/d/high-water.json").claim(3))
                .hasMessageContaining("datasets/d/high-water.json").hasMessageContaining("{\"highest\": N}");
    }
}
