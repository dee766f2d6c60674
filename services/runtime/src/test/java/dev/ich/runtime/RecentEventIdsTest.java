package dev.ich.runtime;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A consumer's recent event ids: a repeat is skipped and counted, a failed attempt forgotten, the oldest id dropped first. */
class RecentEventIdsTest {
    private final AtomicInteger repeats = new AtomicInteger();
    private final RecentEventIds recent = new RecentEventIds("test", 2, repeats::incrementAndGet);

    @Test
    void aRepeatedIdIsSkippedAndCountedWhileARecordWithoutIdIsAlwaysProcessed() {
        assertThat(recent.claim(Optional.of("a"), "slice 1")).isTrue();
        assertThat(recent.claim(Optional.of("a"), "slice 1")).isFalse();
        assertThat(recent.claim(Optional.empty(), "slice 1")).isTrue();
        assertThat(recent.claim(Optional.empty(), "slice 1")).isTrue();
        assertThat(repeats).hasValue(1);
    }

    @Test
    void anIdWhoseAttemptFailedIsProcessedWhenItComesAgain() {
        assertThat(recent.claim(Optional.of("a"), "slice 1")).isTrue();
        recent.forget(Optional.of("a"));
        assertThat(recent.claim(Optional.of("a"), "slice 1")).isTrue();
        assertThat(repeats).hasValue(0);
    }

    @Test
    void memoryIsBoundedByForgettingTheOldestIds() {
        recent.claim(Optional.of("a"), "1");
        recent.claim(Optional.of("b"), "2");
        recent.claim(Optional.of("c"), "3");
        assertThat(recent.claim(Optional.of("a"), "1")).as("the oldest was dropped").isTrue();
        assertThat(recent.claim(Optional.of("c"), "3")).isFalse();
    }
}
