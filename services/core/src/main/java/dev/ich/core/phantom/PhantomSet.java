package dev.ich.core.phantom;

import dev.ich.core.label.Label;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The result of {@link PhantomGenerator#generate}: where everything went and the truth per slice,
 * in study then slice order (the order of labels.csv).
 */
public record PhantomSet(Path directory, Path labelsCsv, List<SliceTruth> slices, Duration elapsed) {

    public long positives(Label label) {
        return slices.stream().filter(s -> s.has(label)).count();
    }

    public long studies() {
        return slices.stream().map(SliceTruth::studyInstanceUid).distinct().count();
    }

    public double slicesPerSecond() {
        return slices.size() / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }
}
