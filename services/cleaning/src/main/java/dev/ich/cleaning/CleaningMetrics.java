package dev.ich.cleaning;

import dev.ich.core.event.SliceCleaned;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.TimeUnit;

/**
 * What /q/metrics says about cleaning: {@code ich_cleaning_slices_total} by outcome (kept, dropped,
 * error) and reason, and {@code ich_cleaning_stage_seconds} per stage (read, decode, transforms,
 * encode, store, publish). Slices per second is the rate of the counter.
 */
@ApplicationScoped
public class CleaningMetrics {
    public static final String SLICES = "ich.cleaning.slices";
    public static final String STAGE = "ich.cleaning.stage";

    public enum Stage { READ, DECODE, TRANSFORMS, ENCODE, STORE, PUBLISH }

    @Inject
    MeterRegistry registry;

    public void stage(Stage stage, long nanos) {
        Timer.builder(STAGE).tag("stage", stage.name().toLowerCase()).publishPercentileHistogram(false)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void outcome(SliceCleaned slice) {
        String outcome = slice.error() != null ? "error" : slice.kept() ? "kept" : "dropped";
        String reason = slice.error() != null ? slice.error().problem() : slice.kept() ? "none" : slice.dropReason();
        registry.counter(SLICES, "outcome", outcome, "reason", reason).increment();
    }
}
