package dev.ich.labeling.experiments;


import java.time.Instant;
import java.util.List;

/**
 * One metadata-only experiment, as {@code GET /experiments/{id}} shows it.
 *
 * @param state     {@code running}, {@code done} or {@code failed}
 * @param columns   the numeric header columns offered to the forest (the report says which it kept)
 * @param trainUsed train slices the forest was fit on: all of them unless the request capped them (maxTrainSlices)
 * @param report    the result, when done
 * @param error     why it failed
 */
public record Experiment(String id, String dataset, String state, Instant startedAt, Double seconds, List<String> columns,
                         int trainSlices, int trainUsed, int validSlices, BaselineReport report, String error) {
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
}
