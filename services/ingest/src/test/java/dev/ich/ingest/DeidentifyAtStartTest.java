package dev.ich.ingest;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up rule: de-identification on needs a key; off is allowed, and said loudly. */
class DeidentifyAtStartTest {

    @Test
    void onWithoutAKeyRefusesToStartNamingTheVariable() {
        assertThatThrownBy(() -> DeidentifyAtStart.check(true, Optional.empty()))
                .hasMessageContaining("ICH_INGEST_DEIDENTIFY_KEY").hasMessageContaining("ich.ingest.deidentify.key");
        assertThatThrownBy(() -> DeidentifyAtStart.check(true, Optional.of("  ")))
                .hasMessageContaining("ICH_INGEST_DEIDENTIFY_KEY");
    }

    @Test
    void onWithAKeyOrOffStarts() {
        assertThat(DeidentifyAtStart.check(true, Optional.of("k"))).isTrue();
        assertThat(DeidentifyAtStart.check(false, Optional.empty())).isFalse();
        assertThat(DeidentifyAtStart.OFF).contains("DE-IDENTIFICATION IS OFF").contains("ich.ingest.deidentify.enabled=false");
    }
}
