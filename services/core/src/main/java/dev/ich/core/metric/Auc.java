package dev.ich.core.metric;

import java.util.Arrays;

/**
 * Area under the ROC curve as the Mann-Whitney statistic: the chance that a random positive scores above a random
 * negative, tied scores counting one half, i.e. (sum of the positives' ranks - P(P+1)/2) / (P N) with a tie group
 * sharing its mean rank. The training metrics and the metadata-only forest (its AUC and every permutation
 * importance) all use this one. Sorting a primitive copy and counting by binary search keeps it cheap enough to
 * call thousands of times on 40k rows.
 */
public final class Auc {

    private Auc() {
    }

    /**
     * @param scores   the positive-class score of each row; larger means more likely positive
     * @param positive the truth of each row
     * @return the AUC in [0, 1], or NaN when the rows hold one class only (the AUC is then undefined)
     * @throws IllegalArgumentException when the lengths differ
     */
    public static double of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double positiveRankSum = 0;
        long positives = 0;
        for (int i = 0; i < scores.length; i++) {
            if (positive[i]) {
                // ranks below..through-1 (0-based) hold this score; their mean, 1-based, is (below + through + 1) / 2
                positiveRankSum += (firstAtLeast(sorted, scores[i]) + firstAbove(sorted, scores[i]) + 1) / 2.0;
                positives++;
            }
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** The same with float scores and 0/1 targets, a target of at least 0.5 counting as positive. */
    public static double of(float[] scores, float[] targets) {
        double[] s = new double[scores.length];
        boolean[] p = new boolean[targets.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = targets[i] >= 0.5f;
        }
        return of(s, p);
    }

    private static int firstAtLeast(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Double.compare(sorted[mid], v) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static int firstAbove(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Double.compare(sorted[mid], v) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
