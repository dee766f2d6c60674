package dev.ich.model;

import java.util.Map;

/**
 * One epoch's metrics on the validation split.
 *
 * @param auc             per label (csv name), NaN when the split has one class only
 * @param weightedLogLoss the RSNA metric (weights 2 for any, 1 per subtype) for multilabel, null for any
 */
public record EpochResult(int epoch, String phase, double trainLoss, double validLoss, double accuracy, Map<String, Double> auc,
                          Double weightedLogLoss, double seconds) {
}
