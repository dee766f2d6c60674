package dev.ich.core.contract;

/**
 * Kafka topic names (docs/architecture.md, "The services and their topics"). Channel name = topic name in every service, so these
 * constants are also the SmallRye channel names. One source of truth: never spell them elsewhere.
 */
public final class Topics {
    private static final String DEAD_LETTER_SUFFIX = "-dlq";

    public static final String DICOM_INGESTED = "dicom-ingested";
    /** Compacted: the latest row per SOP Instance UID is the truth. */
    public static final String SLICES_CLEANED = "slices-cleaned";
    public static final String DATASETS_PUBLISHED = "datasets-published";
    public static final String TRAINING_EVENTS = "training-events";
    public static final String MODELS_PUBLISHED = "models-published";
    /** Append-only (never compacted): one record per audited request of any service (docs/security.md). */
    public static final String AUDIT = "audit";
    /** Keyed by Study Instance UID: ingest saw no new instance of the study for its stable age (docs/dicom.md). */
    public static final String STUDY_COMPLETED = "study-completed";
    /** Keyed by Study Instance UID: inference's triage of a completed study (probabilities, call, result objects). */
    public static final String STUDY_PREDICTED = "study-predicted";
    /**
     * Keyed by result object key: one record per result object sent to a configured destination (PACS); its dead
     * letter topic holds the sends that failed every attempt.
     */
    public static final String RESULTS_EXPORTED = "results-exported";
    /**
     * {@code deadLetter(RESULTS_EXPORTED)} as a constant, since a channel annotation needs one: export publishes its
     * given-up sends there itself (the other dead-letter topics are written by SmallRye's failure strategy).
     */
    public static final String RESULTS_EXPORTED_DEAD_LETTERS = RESULTS_EXPORTED + DEAD_LETTER_SUFFIX;
    /**
     * Append-only, keyed by SOP Instance UID: one {@code SlicePrediction} per slice inference answered (any path), which
     * labeling joins with its labels to follow drift per model version (docs/labeling.md, "Prediction drift").
     */
    public static final String PREDICTIONS = "predictions";

    private Topics() {
    }

    /** Where a consumer of {@code topic} puts messages it cannot process, with the reason in a header. */
    public static String deadLetter(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    public static String[] all() {
        return new String[] {DICOM_INGESTED, SLICES_CLEANED, DATASETS_PUBLISHED, TRAINING_EVENTS, MODELS_PUBLISHED,
                deadLetter(DICOM_INGESTED), deadLetter(SLICES_CLEANED), deadLetter(DATASETS_PUBLISHED),
                deadLetter(TRAINING_EVENTS), deadLetter(MODELS_PUBLISHED), AUDIT, STUDY_COMPLETED, STUDY_PREDICTED,
                RESULTS_EXPORTED, deadLetter(STUDY_COMPLETED), deadLetter(STUDY_PREDICTED), deadLetter(RESULTS_EXPORTED),
                PREDICTIONS, deadLetter(PREDICTIONS)};
    }
}
