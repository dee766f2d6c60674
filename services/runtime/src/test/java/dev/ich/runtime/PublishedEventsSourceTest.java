package dev.ich.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PublishedEventsSourceTest {
    @Test
    void aServiceSendsAsSlashIchSlashItsNameWithoutThePrefix() {
        assertThat(PublishedEvents.sourceOf("ich-cleaning")).isEqualTo("/ich/cleaning");
        assertThat(PublishedEvents.sourceOf("ich-inference")).isEqualTo("/ich/inference");
        // a name without the prefix is kept whole, and only a leading prefix is taken off
        assertThat(PublishedEvents.sourceOf("triage")).isEqualTo("/ich/triage");
        assertThat(PublishedEvents.sourceOf("rich-ich-x")).isEqualTo("/ich/rich-ich-x");
    }
}
