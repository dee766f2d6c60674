package dev.ich.core.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Published on {@code study-predicted}, keyed by Study Instance UID, once inference has triaged a completed study
 * (docs/dicom.md, "Study triage"), and stored as {@code results/<study>/prediction.json}. A study that cannot be
 * triaged gets an event too, with {@code outcome} saying why and no result objects, so nothing waits forever.
 *
 * @param outcome        {@code predicted}, or why not: {@code no-kept-slice}, {@code no-model},
 *                       {@code no-operating-point}, {@code unreadable}
 * @param reason         null when predicted; else a sentence a person can act on
 * @param model          the served model's name and version (null when there was none)
 * @param operatingPoint the thresholds the calls were made at, per label, and how they were chosen
 * @param probabilities  study-level probability per label (the maximum over the slices the drop rule keeps)
 * @param positive       the call per label at the operating point's threshold
 * @param keySlices      the slices that drive the result (the top slice per positive label, and the top slice of
 *                       {@code any}), by SOP Instance UID
 * @param slicesPredicted slices read; {@code slicesKept} of them passed the drop rule
 * @param results        object keys of what was written for it (the SR, the heatmap captures)
 */
public record StudyPredicted(String studyInstanceUid, String outcome, String reason, ModelRef model, OperatingPoint operatingPoint,
                             Map<String, Double> probabilities, Map<String, Boolean> positive, List<KeySlice> keySlices,
                             int slicesPredicted, int slicesKept, List<String> results, Instant predictedAt) {
    /** CloudEvents type of this event. */
    public static final String TYPE = "dev.ich.study.predicted";
    public static final String PREDICTED = "predicted";
    public static final String NO_KEPT_SLICE = "no-kept-slice";
    public static final String NO_MODEL = "no-model";
    public static final String NO_OPERATING_POINT = "no-operating-point";
    public static final String UNREADABLE = "unreadable";

    public record ModelRef(String name, String version) {
    }

    /**
     * @param thresholds per label: p >= threshold is a positive call
     * @param chosenBy   how: e.g. {@code sensitivity>=0.95 on validation (any)}
     */
    public record OperatingPoint(Map<String, Double> thresholds, String chosenBy) {
    }

    /** A slice that drives the result: the label it is key for, its probability, and where it lives. */
    public record KeySlice(String sopInstanceUid, String seriesInstanceUid, String sopClassUid, String label, double probability) {
    }
}
