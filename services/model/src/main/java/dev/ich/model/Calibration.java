package dev.ich.model;

import dev.ich.core.label.Label;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Temperature scaling per label, fitted on the validation split: the calibrated probability of a label is
 * {@code sigmoid(logit(p) / T)}, with {@code T} the value that minimises the binary log loss of the label's validation
 * slices (a golden-section search on {@code log T} in [{@value #MIN_TEMPERATURE}, {@value #MAX_TEMPERATURE}]; the loss is
 * convex in {@code 1/T}, so the search finds its one minimum). {@code T > 1} softens an over-confident network,
 * {@code T < 1} sharpens a timid one; the order of the probabilities, and so every AUC, stays as it was.
 *
 * <p>With it, the expected calibration error (ECE: equal-width bins of the predicted probability, the bin-size-weighted
 * mean of |mean predicted - observed share of positives|) and the reliability bins behind it, before and after. A label
 * whose validation slices are all of one class has nothing to fit against: it keeps {@code T = 1} and
 * {@link #note(String)} says so.
 *
 * <pre>{@code
 * Calibration c = Calibration.builder(validation).optBins(10).build();
 * Predictions calibrated = c.apply(validation);
 * }</pre>
 */
public final class Calibration {
    /** What model.json's {@code calibration.method} says. */
    public static final String METHOD = "temperature scaling per label, fitted on the validation split by minimising log loss";
    public static final int DEFAULT_BINS = 10;
    public static final double MIN_TEMPERATURE = 0.05;
    public static final double MAX_TEMPERATURE = 20;
    private static final double TOLERANCE = 1e-6;

    /**
     * One reliability bin: probabilities in [lower, upper) (the last bin includes 1), how many fell in it, their mean
     * and the share of them that were positive; both null for an empty bin.
     */
    public record Bin(double lower, double upper, int count, Double meanPredicted, Double observed) {
    }

    /**
     * One label's fit.
     *
     * @param note how the temperature came about, in words a model card can print
     */
    public record LabelFit(double temperature, String note, int positives, int negatives, double eceBefore, double eceAfter,
                           List<Bin> before, List<Bin> after) {
        /** False when the label kept T = 1 because its validation slices are all of one class. */
        public boolean fitted() {
            return positives > 0 && negatives > 0;
        }
    }

    private final Map<String, LabelFit> labels;
    private final int bins;

    private Calibration(Map<String, LabelFit> labels, int bins) {
        this.labels = labels;
        this.bins = bins;
    }

    /** Fits on {@code validation} (probabilities and targets N x K, in the labels' output order). */
    public static Builder builder(Predictions validation) {
        return new Builder(validation);
    }

    /** {@code builder(validation).build()}: the default of {@value #DEFAULT_BINS} bins. */
    public static Calibration fit(Predictions validation) {
        return builder(validation).build();
    }

    /** Builds a {@link Calibration}. */
    public static final class Builder {
        private final Predictions validation;
        private int bins = DEFAULT_BINS;

        private Builder(Predictions validation) {
            if (validation == null || validation.probabilities().length == 0) {
                throw new IllegalArgumentException("calibration needs validation predictions; got none");
            }
            if (validation.probabilities().length != validation.targets().length) {
                throw new IllegalArgumentException("calibration needs one target per probability: " + validation.probabilities().length
                        + " probabilities, " + validation.targets().length + " targets");
            }
            this.validation = validation;
        }

        /** Equal-width bins of the ECE and the reliability table; {@value #DEFAULT_BINS} unless set. */
        public Builder optBins(int bins) {
            if (bins < 1) throw new IllegalArgumentException("bins must be at least 1, not " + bins);
            this.bins = bins;
            return this;
        }

        public Calibration build() {
            List<Label> names = Metrics.labels(validation.outputs());
            Map<String, LabelFit> fits = new LinkedHashMap<>();
            for (int k = 0; k < names.size(); k++) {
                float[] p = Metrics.column(validation.probabilities(), validation.outputs(), k);
                float[] y = Metrics.column(validation.targets(), validation.outputs(), k);
                fits.put(names.get(k).csvName(), fitLabel(p, y, bins));
            }
            return new Calibration(fits, bins);
        }
    }

    static LabelFit fitLabel(float[] p, float[] y, int bins) {
        int positives = 0;
        for (float t : y) if (t >= 0.5f) positives++;
        int negatives = y.length - positives;
        double temperature;
        String note;
        if (positives == 0 || negatives == 0) {
            temperature = 1;
            note = String.format(Locale.ROOT, "1.0: validation has %d positive and %d negative slices, no temperature can be fitted",
                    positives, negatives);
        } else {
            temperature = fitTemperature(p, y);
            note = String.format(Locale.ROOT, "fitted on %d positive and %d negative validation slices", positives, negatives);
            if (temperature <= MIN_TEMPERATURE * (1 + 1e-3) || temperature >= MAX_TEMPERATURE * (1 - 1e-3)) {
                note += String.format(Locale.ROOT, " (at the search's bound %.2f: the validation probabilities barely depend on the"
                        + " truth)", temperature);
            }
        }
        float[] after = apply(p, temperature);
        return new LabelFit(temperature, note, positives, negatives, expectedCalibrationError(p, y, bins),
                expectedCalibrationError(after, y, bins), reliability(p, y, bins), reliability(after, y, bins));
    }

    /** The temperature minimising the mean log loss of {@code sigmoid(logit(p) / T)} against {@code y}. */
    static double fitTemperature(float[] p, float[] y) {
        double[] logits = new double[p.length];
        for (int i = 0; i < p.length; i++) logits[i] = logit(p[i]);
        double phi = (Math.sqrt(5) - 1) / 2;
        double a = Math.log(MIN_TEMPERATURE);
        double b = Math.log(MAX_TEMPERATURE);
        double c = b - phi * (b - a);
        double d = a + phi * (b - a);
        double fc = loss(logits, y, Math.exp(c));
        double fd = loss(logits, y, Math.exp(d));
        while (b - a > TOLERANCE) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - phi * (b - a);
                fc = loss(logits, y, Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + phi * (b - a);
                fd = loss(logits, y, Math.exp(d));
            }
        }
        return Math.exp((a + b) / 2);
    }

    private static double loss(double[] logits, float[] y, double temperature) {
        double sum = 0;
        for (int i = 0; i < logits.length; i++) sum += Metrics.binaryLogLoss(sigmoid(logits[i] / temperature), y[i]);
        return sum / logits.length;
    }

    /** logit of p clamped to [EPS, 1 - EPS] ({@link Metrics#EPS}). */
    static double logit(double p) {
        double q = Math.min(1 - Metrics.EPS, Math.max(Metrics.EPS, p));
        return Math.log(q / (1 - q));
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** {@code sigmoid(logit(p) / temperature)}; {@code p} itself, unclamped, at temperature 1. */
    public static float apply(float p, double temperature) {
        if (temperature == 1) return p;
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("a temperature must be a positive number, not " + temperature);
        }
        return (float) sigmoid(logit(p) / temperature);
    }

    /** One label's probabilities at one temperature, as a new array. */
    public static float[] apply(float[] p, double temperature) {
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) out[i] = apply(p[i], temperature);
        return out;
    }

    /**
     * An N x K row-major matrix of probabilities (K = {@code temperatures.length}, the labels' output order), each
     * column at its label's temperature, as a new array: what serving does to every forward pass.
     */
    public static float[] applyRows(float[] probabilities, double[] temperatures) {
        int k = temperatures.length;
        if (k == 0 || probabilities.length % k != 0) {
            throw new IllegalArgumentException(probabilities.length + " probabilities are no rows of " + k + " labels");
        }
        float[] out = new float[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) out[i] = apply(probabilities[i], temperatures[i % k]);
        return out;
    }

    /** The same predictions with every label's probabilities at its temperature. */
    public Predictions apply(Predictions p) {
        if (p.outputs() != labels.size()) {
            throw new IllegalArgumentException("predictions have " + p.outputs() + " outputs, the calibration " + labels.size() + " labels");
        }
        return new Predictions(p.uids(), applyRows(p.probabilities(), temperatureArray()), p.targets(), p.outputs());
    }

    /** Equal-width bins over [0, 1]: count, mean predicted probability and observed share of positives of each. */
    public static List<Bin> reliability(float[] p, float[] y, int bins) {
        int[] count = new int[bins];
        double[] predicted = new double[bins];
        double[] positive = new double[bins];
        for (int i = 0; i < p.length; i++) {
            int b = bin(p[i], bins);
            count[b]++;
            predicted[b] += p[i];
            if (y[i] >= 0.5f) positive[b]++;
        }
        List<Bin> out = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            out.add(new Bin((double) b / bins, (double) (b + 1) / bins, count[b], count[b] == 0 ? null : predicted[b] / count[b],
                    count[b] == 0 ? null : positive[b] / count[b]));
        }
        return out;
    }

    /** ECE: sum over bins of (bin's share of the slices) x |mean predicted - observed|; NaN without slices. */
    public static double expectedCalibrationError(float[] p, float[] y, int bins) {
        if (p.length == 0) return Double.NaN;
        double ece = 0;
        for (Bin b : reliability(p, y, bins)) {
            if (b.count() > 0) ece += (double) b.count() / p.length * Math.abs(b.meanPredicted() - b.observed());
        }
        return ece;
    }

    private static int bin(float p, int bins) {
        return Math.max(0, Math.min(bins - 1, (int) Math.floor(p * bins)));
    }

    /** The fit of every label, keyed by {@link Label#csvName()}, in output order. */
    public Map<String, LabelFit> labels() {
        return labels;
    }

    public int bins() {
        return bins;
    }

    /** A label's temperature. */
    public double temperature(String label) {
        return fit(label).temperature();
    }

    /** How a label's temperature came about ("fitted on ..." or why it stayed 1). */
    public String note(String label) {
        return fit(label).note();
    }

    private LabelFit fit(String label) {
        LabelFit f = labels.get(label);
        if (f == null) throw new IllegalArgumentException("no label " + label + " in this calibration: " + labels.keySet());
        return f;
    }

    /** The temperatures in output order. */
    public double[] temperatureArray() {
        return labels.values().stream().mapToDouble(LabelFit::temperature).toArray();
    }

    /** model.json's {@code calibration} block. */
    public Map<String, Object> json() {
        Map<String, Object> temperature = new LinkedHashMap<>();
        Map<String, Object> notes = new LinkedHashMap<>();
        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, Object> after = new LinkedHashMap<>();
        Map<String, Object> reliability = new LinkedHashMap<>();
        Map<String, Object> reliabilityBefore = new LinkedHashMap<>();
        labels.forEach((label, f) -> {
            temperature.put(label, f.temperature());
            notes.put(label, f.note());
            before.put(label, f.eceBefore());
            after.put(label, f.eceAfter());
            reliability.put(label, binsJson(f.after()));
            reliabilityBefore.put(label, binsJson(f.before()));
        });
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("method", METHOD);
        block.put("temperature", temperature);
        block.put("notes", notes);
        Map<String, Object> ece = new LinkedHashMap<>();
        ece.put("before", before);
        ece.put("after", after);
        block.put("ece", ece);
        block.put("bins", bins);
        // The calibrated bins (what serving answers); the raw network's beside them.
        block.put("reliability", reliability);
        block.put("reliabilityBefore", reliabilityBefore);
        return block;
    }

    private static List<Map<String, Object>> binsJson(List<Bin> bins) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Bin b : bins) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lower", b.lower());
            m.put("upper", b.upper());
            m.put("count", b.count());
            m.put("meanPredicted", b.meanPredicted());
            m.put("observed", b.observed());
            out.add(m);
        }
        return out;
    }
}
