package dev.ich.labeling.drift;

import java.util.List;

/**
 * The exploration's drift section: inference's predictions of {@code label} joined by SOP Instance UID with the
 * exploration's label version, counted per model version, ISO week and subgroup (docs/labeling.md, "Prediction drift").
 *
 * @param label       the label whose call is counted ({@code any})
 * @param predictions every prediction record kept (all versions, weeks and sources)
 * @param kept        how many records the service keeps at most ({@code ich.labeling.max-predictions}); the oldest go first
 * @param cells       one per model version, week and subgroup, in that order
 */
public record PredictionDrift(String label, long predictions, long kept, List<Cell> cells) {

    /** Subgroup dimensions: every prediction; BitsStored/PixelRepresentation; sex and age band where the header keeps them. */
    public static final String ALL = "all";
    public static final String SCANNER = "BitsStored/PixelRepresentation";
    public static final String SEX = "PatientSex";
    public static final String AGE = "age band";

    /**
     * @param subgroup        the dimension ({@link #ALL}, {@link #SCANNER}, {@link #SEX}, {@link #AGE})
     * @param group           its value: {@code all}, {@code 12/0}, {@code F}, {@code 60-79}
     * @param predictions     prediction records (a slice predicted twice counts twice)
     * @param called          those with a call (the version has an operating point)
     * @param positiveCalls   calls above the threshold
     * @param callRate        positiveCalls / called; null when nothing was called
     * @param labeled         predictions whose slice has labels in the exploration's version
     * @param labeledPositive of those, how many are labelled positive
     * @param observedRate    labeledPositive / labeled: the truth beside the call rate; null when none is labeled
     * @param sensitivity     TP / (TP + FN) over the called, labelled predictions; null when no labelled positive was called
     * @param specificity     TN / (TN + FP) over the called, labelled predictions; null when no labelled negative was called
     */
    public record Cell(String model, String version, String week, String subgroup, String group, long predictions, long called,
                       long positiveCalls, Double callRate, long labeled, long labeledPositive, Double observedRate,
                       long truePositives, long falsePositives, long trueNegatives, long falseNegatives, Double sensitivity,
                       Double specificity) {
    }
}
