package dev.ich.ingest;

import dev.ich.core.event.DicomIngested;
import dev.ich.core.event.Events;
import dev.ich.core.event.IngestSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A pending marker holds the event and its CloudEvents id; one written before markers had ids gets a stable one. */
class PendingEventMarkerTest {
    private static final DicomIngested EVENT = new DicomIngested("1.2.3.4", "1.2.3", "1.2.3.1", "p", "raw/1.2.3/1.2.3.1/1.2.3.4.dcm",
            "ab", 10, "1.2.840.10008.1.2.1", IngestSource.STOW, Instant.parse("2026-01-02T03:04:05Z"));

    @Test
    void aMarkerKeepsItsIdThroughTheBucket() throws Exception {
        PendingEvent written = new PendingEvent("3f0a6c2e-8a51-4c62-9a0e-6b3b1b7e5d10", EVENT);
        assertThat(PendingEvents.read(Events.JSON.writeValueAsBytes(written))).isEqualTo(written);
    }

    @Test
    void aMarkerOfAnEarlierVersionGetsTheSameIdAtEveryStart() throws Exception {
        byte[] bare = Events.JSON.writeValueAsBytes(EVENT);
        PendingEvent first = PendingEvents.read(bare);
        assertThat(first.event()).isEqualTo(EVENT);
        assertThat(PendingEvents.read(bare).id()).isEqualTo(first.id()).hasSize(36);
    }
}
