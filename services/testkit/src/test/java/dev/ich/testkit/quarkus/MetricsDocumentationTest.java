package dev.ich.testkit.quarkus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Given a scrape and a page, then only ich's own families the page does not name are reported, a timer's _max as the timer. */
class MetricsDocumentationTest {
    private static final String SCRAPE = """
            # TYPE ich_ingest_instances_total counter
            ich_ingest_instances_total{source="stow"} 3.0
            # TYPE ich_cleaning_stage_seconds summary
            ich_cleaning_stage_seconds_count{stage="read"} 1.0
            # TYPE ich_cleaning_stage_seconds_max gauge
            ich_cleaning_stage_seconds_max{stage="read"} 0.1
            # TYPE ich_new_thing_total counter
            ich_new_thing_total 1.0
            # TYPE ich_ingest_duplicates counter
            ich_ingest_duplicates_total{source="stow"} 1.0
            # TYPE ich_other counter
            ich_other_total 1.0
            # TYPE http_server_requests_seconds summary
            """;

    @Test
    void familiesThePageDoesNotNameAreReported() {
        String page = "| `ich_ingest_instances_total{source}` | counter |\n| `ich_cleaning_stage_seconds{stage}` | timer |\n"
                + "| `ich_ingest_duplicates_total{source}` | counter |";
        // a counter's family as OpenMetrics names it (no _total) is the page's sample name with _total
        assertThat(MetricsDocumentation.undocumented(SCRAPE, page)).containsExactly("ich_new_thing_total", "ich_other_total");
    }

    @Test
    void thePageOfThisCheckoutNamesWhatTheServicesRegister() {
        assertThat(MetricsDocumentation.page()).contains("`ich_events_repeated_total{topic}`");
    }
}
