package dev.ich.model;

import dev.ich.core.label.Label;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operating point a model is promoted with: per label, the threshold at which its calls are made, chosen on the
 * validation set for a target sensitivity (triage exists to miss few bleeds, so sensitivity is what a site fixes; the
 * specificity is what it pays). The study triage's SR and worklist call a label positive at {@code p >= threshold},
 * never at a fixed 0.5.
 *
 * <p>Per label: the highest threshold whose validation sensitivity is at least the target (so the specificity is the
 * best one the target allows), with the sensitivity and specificity at that threshold and their 95 % Wilson score
 * intervals. A label without a positive (or without a negative) validation slice cannot be chosen for: it keeps 0.5
 * and says so in {@code method}, and the intervals are absent.
 */
public final class OperatingPoints {
    /** The default target: 0.95 sensitivity (what cleared ICH triage products report at their operating points). */
    public static final double DEFAULT_TARGET_SENSITIVITY = 0.95;
    private static final double FALLBACK_THRESHOLD = 0.5;
    private static final double Z95 = 1.959963984540054;

    private OperatingPoints() {
    }

    /**
     * One label's operating point.
     *
     * @param method        how the threshold was chosen, in words a model card can print
     * @param sensitivityCi 95 % Wilson interval of the sensitivity, {lower, upper}; null when undefined
     */
    public record Point(double threshold, String method, Double sensitivity, double[] sensitivityCi, Double specificity,
                        double[] specificityCi, int positives, int negatives) {
    }

    /** The points of every label of {@code predictions}, keyed by {@link Label#csvName()}, in output order. */
    public static Map<String, Point> choose(Predictions predictions, double targetSensitivity) {
        if (!(targetSensitivity > 0 && targetSensitivity <= 1)) {
            throw new IllegalArgumentException("target sensitivity must be in (0, 1], not " + targetSensitivity);
        }
        List<Label> labels = Metrics.labels(predictions.outputs());
        Map<String, Point> points = new LinkedHashMap<>();
        for (int k = 0; k < labels.size(); k++) {
            points.put(labels.get(k).csvName(), choose(Metrics.column(predictions.probabilities(), predictions.outputs(), k),
                    Metrics.column(predictions.targets(), predictions.outputs(), k), targetSensitivity));
        }
        return points;
    }

    /** One label: scores and 0/1 targets of the validation slices. */
    public static Point choose(float[] scores, float[] targets, double targetSensitivity) {
        int positives = 0;
        for (float t : targets) if (t >= 0.5f) positives++;
        int negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return new Point(FALLBACK_THRESHOLD, String.format(Locale.ROOT, "0.5: validation has %d positive and %d negative slices,"
                    + " no threshold can be chosen for a sensitivity", positives, negatives), null, null, null, null, positives, negatives);
        }
        float[] positiveScores = new float[positives];
        int i = 0;
        for (int j = 0; j < scores.length; j++) if (targets[j] >= 0.5f) positiveScores[i++] = scores[j];
        Arrays.sort(positiveScores);
        // At threshold t the sensitivity is the share of positives scoring >= t. The highest t that keeps at least
        // ceil(target x P) positives above it is the score of the positive at that rank from the top.
        int needed = (int) Math.ceil(targetSensitivity * positives - 1e-9);
        double threshold = positiveScores[positives - needed];
        return at(scores, targets, threshold, String.format(Locale.ROOT, "highest threshold with sensitivity >= %.2f on validation",
                targetSensitivity));
    }

    /**
     * What a threshold chosen elsewhere gives on these slices (a source model's point on a site's data, a subgroup at the
     * model's point): the sensitivity and specificity with their intervals, each absent when its class is.
     */
    public static Point at(float[] scores, float[] targets, double threshold, String method) {
        int positives = 0;
        int tp = 0;
        int tn = 0;
        for (int j = 0; j < scores.length; j++) {
            boolean call = scores[j] >= threshold;
            boolean truth = targets[j] >= 0.5f;
            if (truth) positives++;
            if (call && truth) tp++;
            if (!call && !truth) tn++;
        }
        int negatives = scores.length - positives;
        return new Point(threshold, method, positives == 0 ? null : (double) tp / positives, positives == 0 ? null : wilson(tp, positives),
                negatives == 0 ? null : (double) tn / negatives, negatives == 0 ? null : wilson(tn, negatives), positives, negatives);
    }

    /** The 95 % Wilson score interval of {@code successes} out of {@code n}: honest at the small counts of phantom runs. */
    static double[] wilson(int successes, int n) {
        double p = (double) successes / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /** model.json's {@code operatingPoint} block. */
    public static Map<String, Object> json(Map<String, Point> points, double targetSensitivity) {
        Map<String, Object> labels = new LinkedHashMap<>();
        points.forEach((label, p) -> labels.put(label, json(p)));
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("targetSensitivity", targetSensitivity);
        block.put("chosenOn", "validation");
        block.put("labels", labels);
        return block;
    }

    /** One point as model.json writes it: threshold, method, the sensitivity and specificity with intervals where defined, counts. */
    public static Map<String, Object> json(Point p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threshold", p.threshold());
        m.put("method", p.method());
        if (p.sensitivity() != null) {
            m.put("sensitivity", p.sensitivity());
            m.put("sensitivityCi95", List.of(p.sensitivityCi()[0], p.sensitivityCi()[1]));
        }
        if (p.specificity() != null) {
            m.put("specificity", p.specificity());
            m.put("specificityCi95", List.of(p.specificityCi()[0], p.specificityCi()[1]));
        }
        m.put("positives", p.positives());
        m.put("negatives", p.negatives());
        return m;
    }
}
