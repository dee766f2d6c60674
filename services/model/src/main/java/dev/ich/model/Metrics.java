package dev.ich.model;

import dev.ich.core.label.Label;
import dev.ich.core.metric.Auc;
import dev.ich.core.training.Task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Validation metrics on {@link Predictions}: AUC per label (core's {@link Auc}), accuracy, log losses (the RSNA weighted one) and ROC points. */
public final class Metrics {
    /** Probabilities are clipped to [EPS, 1 - EPS] before a logarithm (the competition clipped too). */
    public static final double EPS = 1e-7;

    private Metrics() {
    }

    /** One ROC curve: false and true positive rates from (0, 0) to (1, 1), threshold falling. */
    public record Roc(double[] falsePositiveRate, double[] truePositiveRate, double auc) {
    }

    /** The labels of {@code outputs} columns: one output is {@code any}, six are all labels in CSV order. */
    public static List<Label> labels(int outputs) {
        if (outputs == Task.ANY.outputs()) return Task.ANY.labels();
        if (outputs == Task.MULTILABEL.outputs()) return Task.MULTILABEL.labels();
        throw new IllegalArgumentException("predictions have " + outputs + " outputs; expected 1 or 6");
    }

    /** Column {@code k} of an N x K row-major matrix. */
    public static float[] column(float[] matrix, int outputs, int k) {
        float[] c = new float[matrix.length / outputs];
        for (int i = 0; i < c.length; i++) c[i] = matrix[i * outputs + k];
        return c;
    }

    /** AUC per label, keyed by {@link Label#csvName()}, in output order. */
    public static Map<String, Double> aucByLabel(Predictions p) {
        Map<String, Double> auc = new LinkedHashMap<>();
        List<Label> labels = labels(p.outputs());
        for (int k = 0; k < labels.size(); k++) {
            auc.put(labels.get(k).csvName(), Auc.of(column(p.probabilities(), p.outputs(), k), column(p.targets(), p.outputs(), k)));
        }
        return auc;
    }

    /** Share of (sample, output) pairs where probability >= threshold agrees with the target: the outputs' mean accuracy. */
    public static double accuracy(Predictions p, double threshold) {
        float[] prob = p.probabilities();
        float[] t = p.targets();
        int right = 0;
        for (int i = 0; i < prob.length; i++) if ((prob[i] >= threshold) == (t[i] >= 0.5f)) right++;
        return prob.length == 0 ? Double.NaN : (double) right / prob.length;
    }

    /** Binary cross-entropy of one probability against a 0/1 target, probability clipped. */
    public static double binaryLogLoss(double probability, double target) {
        double q = Math.min(1 - EPS, Math.max(EPS, probability));
        return -(target * Math.log(q) + (1 - target) * Math.log(1 - q));
    }

    /** Mean binary cross-entropy over all samples and outputs: the validation loss. */
    public static double logLoss(Predictions p) {
        double sum = 0;
        for (int i = 0; i < p.probabilities().length; i++) sum += binaryLogLoss(p.probabilities()[i], p.targets()[i]);
        return sum / p.probabilities().length;
    }

    /**
     * The RSNA metric: per sample, sum_k w_k BCE_k / sum_k w_k with w = 2 for any and 1 for each subtype, averaged
     * over samples. With one output (any) it is the plain log loss.
     */
    public static double weightedLogLoss(Predictions p) {
        List<Label> labels = labels(p.outputs());
        int k = p.outputs();
        int n = p.probabilities().length / k;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            double weights = 0;
            for (int j = 0; j < k; j++) {
                double w = labels.get(j).metricWeight();
                sum += w * binaryLogLoss(p.probabilities()[i * k + j], p.targets()[i * k + j]);
                weights += w;
            }
            total += sum / weights;
        }
        return total / n;
    }

    /** ROC points: one per distinct score (threshold falling), from (0, 0) to (1, 1). */
    public static Roc roc(float[] scores, float[] targets) {
        int n = scores.length;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> -scores[i]));
        long positives = 0;
        for (float t : targets) if (t >= 0.5f) positives++;
        long negatives = n - positives;
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, 0});
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < n; i++) {
            if (targets[order[i]] >= 0.5f) tp++;
            else fp++;
            if (i + 1 == n || scores[order[i + 1]] != scores[order[i]]) {
                points.add(new double[] {negatives == 0 ? 0 : (double) fp / negatives, positives == 0 ? 0 : (double) tp / positives});
            }
        }
        return new Roc(points.stream().mapToDouble(q -> q[0]).toArray(), points.stream().mapToDouble(q -> q[1]).toArray(),
                Auc.of(scores, targets));
    }
}
