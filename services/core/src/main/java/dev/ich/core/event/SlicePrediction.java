package dev.ich.core.event;

import dev.ich.core.event.StudyPredicted.ModelRef;

import java.time.Instant;
import java.util.Map;

/**
 * Published on {@code predictions}, keyed by SOP Instance UID: one slice inference answered, on any path, so labeling
 * can join predictions with labels and follow drift per model version (docs/labeling.md, "Prediction drift"). The UIDs
 * are the pseudonymised ones ingest stored; the subgroup holds only what the de-identified header still carries.
 *
 * @param model             the model name and version that answered
 * @param probabilities     calibrated probability per label, as the answer gave it
 * @param thresholds        the operating point's threshold per label; empty when the version records none
 * @param positive          the call per label ({@code p >= threshold}); empty when the version records no operating point
 * @param brainWindowPassed whether the slice passes the drop rule (triage decides on those only)
 * @param latencyMs         this slice's preprocessing, queue and forward time
 * @param subgroup          the slice's subgroup fields, for drift per subgroup
 * @param source            which path answered: {@link #PREDICT}, {@link #OIP} or {@link #TRIAGE}
 */
public record SlicePrediction(ModelRef model, String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
                              Map<String, Double> probabilities, Map<String, Double> thresholds, Map<String, Boolean> positive,
                              boolean brainWindowPassed, double latencyMs, Subgroup subgroup, String source, Instant predictedAt) {
    /** CloudEvents type of this event. */
    public static final String TYPE = "dev.ich.slice.predicted";
    /** {@code POST /predict} and {@code POST /predict/study}. */
    public static final String PREDICT = "predict";
    /** Open Inference Protocol infer with DICOM input. */
    public static final String OIP = "oip";
    /** Triage of a completed study. */
    public static final String TRIAGE = "triage";

    /**
     * Fields of the slice's header that divide predictions into groups: BitsStored/PixelRepresentation (the scanner
     * source, as the exploration groups slices); PatientSex and an age band only where ingest's de-identification keeps
     * patient characteristics (off by default, docs/security.md): null otherwise.
     */
    public record Subgroup(Integer bitsStored, Integer pixelRepresentation, String patientSex, String ageBand) {
    }

    /** Upper bounds (exclusive, years) of the age bands and their names; the last band is open. */
    private static final int[] BAND_ENDS = {18, 40, 60, 80};
    private static final String[] BANDS = {"0-17", "18-39", "40-59", "60-79", "80+"};

    /**
     * The band of a DICOM Age String ({@code nnnD}, {@code nnnW}, {@code nnnM}, {@code nnnY}); null when absent or not
     * an Age String. A band, never the age itself: the event should not carry more than the drift needs.
     */
    public static String ageBand(String patientAge) {
        if (patientAge == null) return null;
        String a = patientAge.strip();
        if (!a.matches("\\d{3}[DWMY]")) return null;
        int n = Integer.parseInt(a.substring(0, 3));
        int years = switch (a.charAt(3)) {
            case 'D' -> n / 365;
            case 'W' -> n / 52;
            case 'M' -> n / 12;
            default -> n;
        };
        for (int i = 0; i < BAND_ENDS.length; i++) if (years < BAND_ENDS[i]) return BANDS[i];
        return BANDS[BANDS.length - 1];
    }
}
