package dev.ich.labeling.exploration;

import dev.ich.labeling.drift.PredictionDrift;

import java.util.List;
import java.util.Map;

/**
 * The notebooks' exploration (docs/reference-experiment.md, "Exploration") of the metadata table joined to one label version:
 * what {@code GET /exploration} returns and {@code GET /exploration/report} draws.
 *
 * @param labelsVersion the label upload joined in, null when none was uploaded yet (label figures are then empty)
 * @param slices        rows in the table
 * @param kept          rows whose image was kept
 * @param dropped       rows dropped by the img_pct_window rule (not counting unreadable ones)
 * @param unreadable    rows whose DICOM could not be decoded
 * @param labeled       rows with all six labels in this label version
 * @param nulls         every column with its null count, most nulls first
 * @param target        balance of the {@code any} target over labeled rows
 * @param subtypes      label name (csv spelling, {@code any} included) to positive count over labeled rows
 * @param bits          slice counts per (BitsStored, PixelRepresentation)
 * @param pctWindow     the img_pct_window histogram with the drop threshold and share of positives per bin
 * @param windows       the window names the sample grid shows, in order (e.g. brain, subdural, bone)
 * @param samples       kept slices to show in every window (positives and negatives when labels exist)
 * @param droppedSlices dropped slices to show in the brain window (why they were dropped)
 * @param drift         inference's predictions joined with this label version: call rates per model version, week and
 *                      subgroup (docs/labeling.md, "Prediction drift")
 */
public record Exploration(Integer labelsVersion, long slices, long kept, long dropped, long unreadable, long labeled,
                          List<ColumnNulls> nulls, Target target, Map<String, Long> subtypes, List<BitsCount> bits,
                          PctHistogram pctWindow, List<String> windows, List<SampleSlice> samples,
                          List<SampleSlice> droppedSlices, PredictionDrift drift) {

    /** Columns whose share of nulls is at least this are flagged as nearly all null. */
    public static final double NEARLY_ALL_NULL = 0.95;

    /** @param share nulls / slices; {@code nearlyAllNull} when at least {@link #NEARLY_ALL_NULL} */
    public record ColumnNulls(String column, long nulls, double share, boolean nearlyAllNull) {
    }

    /** @param positives any = 1; @param negatives any = 0; @param unlabeled rows without labels in this version */
    public record Target(long positives, long negatives, long unlabeled) {
    }

    /** BitsStored and PixelRepresentation may be null for unreadable rows. */
    public record BitsCount(Long bitsStored, Long pixelRepresentation, long slices) {
    }

    /**
     * @param threshold the drop threshold of the pipeline (0.02 by default): slices below are dropped
     * @param bins      equal-width bins over [0, 1], in order
     */
    public record PctHistogram(double threshold, List<Bin> bins) {
    }

    /**
     * @param from      inclusive lower edge
     * @param to        exclusive upper edge (inclusive for the last bin)
     * @param slices    rows in the bin
     * @param labeled   rows in the bin with labels
     * @param positives labeled rows in the bin with any = 1
     */
    public record Bin(double from, double to, long slices, long labeled, long positives) {
        /** Share of positives among labeled rows, NaN when none is labeled. */
        public double positiveShare() {
            return labeled == 0 ? Double.NaN : (double) positives / labeled;
        }
    }

    /**
     * @param uid        SOP Instance UID ({@code GET /slices/{uid}/image?window=...} renders it)
     * @param caption    what a person reads under the picture, e.g. "any, subdural" or "negative" or the drop reason
     * @param pctWindow  img_pct_window, null for unreadable rows
     */
    public record SampleSlice(String uid, String caption, Double pctWindow) {
    }
}
