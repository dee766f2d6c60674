package dev.ich.core.event;

import java.util.Map;

/**
 * Published on {@code slices-cleaned} (compacted), keyed by SOP Instance UID: the latest record per
 * slice is the truth (docs/architecture.md, "The services and their topics"). Dropped and unreadable slices are published too, because
 * the exploration needs every row of the data frame.
 *
 * @param pipeline   the pipeline version id that produced this row
 * @param dropReason why a slice was not kept, null when kept
 * @param cleanedKey {@code clean/<version>/<sop>.png}, null when no image was written
 * @param error      why the slice could not be decoded, null when it could
 * @param row        the flat metadata row (header, img_* columns, pixel_fixed, pipeline, kept, ...)
 */
public record SliceCleaned(String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid, String pipeline,
                           boolean kept, String dropReason, String cleanedKey, Error error, Map<String, Object> row) {
    /** CloudEvents type of this event. */
    public static final String TYPE = "dev.ich.slice.cleaned";
    /** The drop reason of a slice that could not be decoded; {@link #error()} says why. */
    public static final String UNREADABLE = "unreadable";

    /** A decoding failure as data: the core's DicomProblem name and a reason a person can act on. */
    public record Error(String problem, String reason) {
    }
}
