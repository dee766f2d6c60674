package dev.ich.labeling.experiment;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Area under the ROC curve as the Mann-Whitney statistic: the chance that a random positive scores above a random
 * negative, ties counting one half. Ours rather than Tribuo's because permutation importance needs it thousands of
 * times on plain arrays, without building an evaluation each time.
 */
final class Auc {

    private Auc() {
    }

    /**
     * @param scores   the positive-class score of each row
     * @param positive the truth of each row
     * @throws IllegalArgumentException when lengths differ or a class is absent (AUC is then undefined)
     */
    static double of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
        }
        long positives = IntStream.range(0, positive.length).filter(i -> positive[i]).count();
        long negatives = positive.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("AUC needs both classes: " + positives + " positives, "
                    + negatives + " negatives");
        }
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRankSum = 0;
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double meanRank = (start + end) / 2.0 + 1; // ranks are 1-based; a tie group shares its mean rank
            for (int k = start; k <= end; k++) {
                if (positive[order[k]]) {
                    positiveRankSum += meanRank;
                }
            }
            start = end + 1;
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }
}
