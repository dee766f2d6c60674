package dev.ich.labeling.experiments;

import dev.ich.core.metric.Auc;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The metadata-only experiment: a random forest on header columns, fitted on train, judged on valid by accuracy and
 * AUC next to the majority class, with permutation importances. Plain Java; the service wires it.
 *
 * <p>The forest is XGBoost in random-forest mode (one boosting round of {@code trees} parallel trees, no shrinkage,
 * rows sampled, a fresh feature sample at every split): Tribuo's CART needed minutes per tree at the notebooks' 155k rows,
 * XGBoost's histogram method fits all 200 in well under a minute (docs/benchmarks.md, "Metadata-only forest").
 */
public final class MetadataBaseline {

    /** The notebooks' forest size. */
    public static final int DEFAULT_TREES = 200;
    /**
     * Deepest a tree grows. Measured at the notebooks' size (docs/benchmarks.md, "Metadata-only forest"): from depth 10 to
     * 12 and 16 valid AUC rose by 0.001 while each of the 31 valid predictions (scores and permutation importances)
     * took twice and four times as long; at 8 AUC fell by 0.001 more. Depth-wise growth has no "unlimited".
     */
    public static final int DEFAULT_MAX_DEPTH = 10;
    /** Share of the train rows each tree sees: what a bootstrap sample holds of distinct rows, 1 - 1/e. */
    static final double ROW_SAMPLE = 0.632;
    /** Below this valid AUC the header is called no better than chance. */
    static final double CHANCE_AUC = 0.55;
    /** Below this valid AUC (and above chance) the signal is called weak. */
    static final double WEAK_AUC = 0.65;

    private final int trees;
    private final long seed;
    private final int maxDepth;
    private final Float featureFraction;
    private final int threads;

    private MetadataBaseline(Builder builder) {
        this.trees = builder.trees;
        this.seed = builder.seed;
        this.maxDepth = builder.maxDepth;
        this.featureFraction = builder.featureFraction;
        this.threads = builder.threads;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fits on the train split, judges on the valid split.
     *
     * @throws IllegalArgumentException when a split is empty or lacks a class, a split name is unknown, a slice
     *                                  appears twice, or no column has a usable value in train
     */
    public BaselineReport run(List<MetadataSample> samples) {
        List<MetadataSample> train = new ArrayList<>();
        List<MetadataSample> valid = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        for (MetadataSample s : samples) {
            if (!uids.add(s.uid())) {
                throw new IllegalArgumentException("slice " + s.uid() + " appears more than once: a slice belongs"
                        + " to one split, once (de-duplicate the joined table)");
            }
            switch (s.split()) {
                case MetadataSample.TRAIN -> train.add(s);
                case MetadataSample.VALID -> valid.add(s);
                default -> throw new IllegalArgumentException("slice " + s.uid() + " has split '" + s.split()
                        + "'; expected '" + MetadataSample.TRAIN + "' or '" + MetadataSample.VALID + "'");
            }
        }
        requireBothClasses(MetadataSample.TRAIN, train, samples.size(), "the forest cannot learn from one class");
        requireBothClasses(MetadataSample.VALID, valid, samples.size(), "accuracy and AUC need both classes");
        FeatureColumns columns = FeatureColumns.decide(train, valid);
        int width = columns.names.size();
        float[] validRows = matrix(valid, columns);
        boolean[] trainTruth = truth(train);
        boolean[] validTruth = truth(valid);
        try {
            long started = System.nanoTime();
            Booster forest = fit(matrix(train, columns), trainTruth, width);
            double trainSeconds = (System.nanoTime() - started) / 1e9;
            try {
                double[] scores = bleedScores(forest, validRows, width);
                double auc = Auc.of(scores, validTruth);
                double accuracy = accuracy(scores, validTruth);
                double trainShare = share(trainTruth);
                double validShare = share(validTruth);
                double majority = trainShare > 0.5 ? validShare : 1 - validShare;
                List<BaselineReport.FeatureImportance> importances =
                        importances(forest, columns.names, validRows, validTruth, auc);
                return new BaselineReport(trees, seed, train.size(), valid.size(), trainShare, validShare,
                        columns.names, columns.dropped, columns.imputed, accuracy, auc, majority, importances,
                        trainSeconds, verdict(auc, accuracy, majority, importances));
            } finally {
                forest.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed on " + train.size() + " train slices x " + width
                    + " columns: " + e.getMessage(), e);
        }
    }

    /** Random-forest mode: one round of {@code trees} trees side by side, averaged, with no shrinkage (eta 1). */
    private Booster fit(float[] rows, boolean[] truth, int width) throws XGBoostError {
        double fraction = featureFraction != null ? featureFraction
                : (double) Math.max(1, Math.round(Math.sqrt(width))) / width;
        Map<String, Object> params = new HashMap<>();
        params.put("booster", "gbtree");
        params.put("objective", "binary:logistic");
        params.put("tree_method", "hist");
        params.put("num_parallel_tree", trees);
        params.put("eta", 1.0);
        params.put("subsample", ROW_SAMPLE);
        params.put("colsample_bynode", fraction);
        params.put("max_depth", maxDepth);
        params.put("nthread", threads);
        params.put("seed", seed);
        params.put("verbosity", 0);
        DMatrix train = new DMatrix(rows, truth.length, width, Float.NaN);
        try {
            float[] labels = new float[truth.length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = truth[i] ? 1 : 0;
            }
            train.setLabel(labels);
            return XGBoost.train(train, params, 1, Map.of(), null, null);
        } finally {
            train.dispose();
        }
    }

    /** Shuffles one column at a time with the same seeded permutation and records how much valid AUC falls. */
    private List<BaselineReport.FeatureImportance> importances(Booster forest, List<String> names, float[] rows,
                                                               boolean[] truth, double auc) throws XGBoostError {
        int width = names.size();
        int[] permutation = permutation(truth.length, new SplittableRandom(seed));
        List<BaselineReport.FeatureImportance> result = new ArrayList<>();
        float[] shuffled = rows.clone();
        for (int j = 0; j < width; j++) {
            for (int i = 0; i < truth.length; i++) {
                shuffled[i * width + j] = rows[permutation[i] * width + j];
            }
            double drop = auc - Auc.of(bleedScores(forest, shuffled, width), truth);
            result.add(new BaselineReport.FeatureImportance(names.get(j), drop));
            for (int i = 0; i < truth.length; i++) {
                shuffled[i * width + j] = rows[i * width + j];
            }
        }
        result.sort(Comparator.comparingDouble(BaselineReport.FeatureImportance::aucDrop).reversed());
        return List.copyOf(result);
    }

    private double[] bleedScores(Booster forest, float[] rows, int width) throws XGBoostError {
        float[][] predicted = forest.inplace_predict(rows, rows.length / width, width, Float.NaN);
        double[] scores = new double[predicted.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = predicted[i][0];
        }
        return scores;
    }

    static String verdict(double auc, double accuracy, double majority,
                          List<BaselineReport.FeatureImportance> importances) {
        String numbers = String.format(Locale.ROOT, "AUC %.2f, accuracy %.2f vs majority %.2f", auc, accuracy, majority);
        String top = importances.isEmpty() ? "" : String.format(Locale.ROOT, " (look at the top feature: %s, AUC drop %.2f)",
                importances.get(0).feature(), importances.get(0).aucDrop());
        if (auc < CHANCE_AUC) {
            return "metadata alone predicts bleeding no better than chance: " + numbers;
        }
        if (auc < WEAK_AUC) {
            return "metadata alone carries a weak signal about bleeding: " + numbers + top;
        }
        return "metadata alone predicts bleeding better than chance: " + numbers + ": the header carries signal" + top;
    }

    private void requireBothClasses(String split, List<MetadataSample> rows, int total, String why) {
        long positives = rows.stream().filter(MetadataSample::positive).count();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the " + split + " split is empty (0 of " + total
                    + " samples): assign patients to both '" + MetadataSample.TRAIN + "' and '"
                    + MetadataSample.VALID + "'");
        }
        if (positives == 0 || positives == rows.size()) {
            throw new IllegalArgumentException("the " + split + " split has only " + (positives == 0 ? "negative" : "positive")
                    + " slices (" + rows.size() + "): " + why + "; check the label join and the patient split");
        }
    }

    /** Row-major, as XGBoost's dense matrix wants it. */
    private static float[] matrix(List<MetadataSample> samples, FeatureColumns columns) {
        int width = columns.names.size();
        float[] rows = new float[samples.size() * width];
        for (int i = 0; i < samples.size(); i++) {
            double[] row = columns.row(samples.get(i));
            for (int j = 0; j < width; j++) {
                rows[i * width + j] = (float) row[j];
            }
        }
        return rows;
    }

    /** Share of rows whose more likely class (bleed at a score of one half or more) is the truth. */
    private static double accuracy(double[] scores, boolean[] truth) {
        int right = 0;
        for (int i = 0; i < scores.length; i++) {
            right += (scores[i] >= 0.5) == truth[i] ? 1 : 0;
        }
        return (double) right / scores.length;
    }

    private static boolean[] truth(List<MetadataSample> samples) {
        boolean[] truth = new boolean[samples.size()];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = samples.get(i).positive();
        }
        return truth;
    }

    private static double share(boolean[] truth) {
        int positives = 0;
        for (boolean t : truth) {
            positives += t ? 1 : 0;
        }
        return (double) positives / truth.length;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[k];
            p[k] = t;
        }
        return p;
    }

    /** Builder: {@code setSeed} is required; the rest are random-forest defaults. */
    public static final class Builder {
        private int trees = DEFAULT_TREES;
        private Long seed;
        private int maxDepth = DEFAULT_MAX_DEPTH;
        private Float featureFraction;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder() {
        }

        /** Seeds row sampling, the features tried at each split and the importance permutations. */
        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Trees in the forest, {@value #DEFAULT_TREES} by default. */
        public Builder optTrees(int trees) {
            if (trees < 1) {
                throw new IllegalArgumentException("trees must be at least 1, was " + trees);
            }
            this.trees = trees;
            return this;
        }

        /** Deepest a tree may grow, {@value #DEFAULT_MAX_DEPTH} by default. */
        public Builder optMaxDepth(int maxDepth) {
            if (maxDepth < 1) {
                throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
            }
            this.maxDepth = maxDepth;
            return this;
        }

        /** Share of features tried at each split, in (0, 1); sqrt(#features)/#features by default. */
        public Builder optFeatureFraction(float featureFraction) {
            if (!(featureFraction > 0 && featureFraction < 1)) {
                throw new IllegalArgumentException("featureFraction must be in (0, 1), was " + featureFraction
                        + " (a forest whose trees see every feature is bagging, not a random forest)");
            }
            this.featureFraction = featureFraction;
            return this;
        }

        /** Threads XGBoost fits and predicts with; the machine's cores by default. */
        public Builder optThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        public MetadataBaseline build() {
            if (seed == null) {
                throw new IllegalArgumentException("setSeed is required: the experiment must be repeatable");
            }
            return new MetadataBaseline(this);
        }
    }
}
