package dev.ich.labeling.experiments;

import java.util.List;
import java.util.Map;

/**
 * What one run of the metadata-only experiment found, plain fields so Jackson writes it as is.
 *
 * @param trees              trees in the forest
 * @param seed               seed of row sampling, feature sampling and the permutations
 * @param trainSlices        rows fitted on
 * @param validSlices        rows judged on
 * @param trainPositiveShare share of bleeding slices in train
 * @param validPositiveShare share of bleeding slices in valid
 * @param features           columns the forest saw, sorted by name
 * @param droppedFeatures    column to why it was left out (constant or entirely missing in train)
 * @param imputed            columns with missing values, each filled with its train median in both splits
 * @param accuracy           valid accuracy of the forest's more likely class (bleed at a score of 0.5 or more)
 * @param auc                valid AUC of the bleeding score (core's {@code Auc}, as every importance)
 * @param majorityBaseline   valid accuracy of always answering the train split's majority class
 * @param importances        drop in valid AUC when one column is shuffled, largest first
 * @param trainSeconds       wall time of fitting the forest
 * @param verdict            one line a person reads first
 */
public record BaselineReport(int trees, long seed, int trainSlices, int validSlices, double trainPositiveShare,
                             double validPositiveShare, List<String> features, Map<String, String> droppedFeatures,
                             List<Imputation> imputed, double accuracy, double auc, double majorityBaseline,
                             List<FeatureImportance> importances, double trainSeconds, String verdict) {

    /** @param aucDrop valid AUC minus valid AUC with this column shuffled; near 0 or negative means no use */
    public record FeatureImportance(String feature, double aucDrop) {
    }

    /**
     * Missing values are filled, not encoded: a column whose mere absence predicts bleeding would look weaker here.
     *
     * @param trainMedian  the value filled in
     * @param trainMissing train rows that lacked the column
     * @param validMissing valid rows that lacked the column
     */
    public record Imputation(String feature, double trainMedian, long trainMissing, long validMissing) {
    }
}
