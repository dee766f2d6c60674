package dev.ich.labeling.experiment;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The metadata-only experiment: a random forest on header columns, fitted on train, judged on valid by accuracy and
 * AUC next to the majority class, with permutation importances. Plain Java; the service wires it.
 */
public final class MetadataBaseline {

    /** The seed's forest size. */
    public static final int DEFAULT_TREES = 200;
    /** Below this valid AUC the header is called no better than chance. */
    static final double CHANCE_AUC = 0.55;
    /** Below this valid AUC (and above chance) the signal is called weak. */
    static final double WEAK_AUC = 0.65;

    static final Label BLEED = new Label("bleed");
    static final Label NO_BLEED = new Label("no-bleed");
    private static final LabelFactory LABELS = new LabelFactory();

    private final int trees;
    private final long seed;
    private final int maxDepth;
    private final Float featureFraction;

    private MetadataBaseline(Builder builder) {
        this.trees = builder.trees;
        this.seed = builder.seed;
        this.maxDepth = builder.maxDepth;
        this.featureFraction = builder.featureFraction;
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
        String[] names = columns.names.toArray(String[]::new);
        double[][] trainRows = train.stream().map(columns::row).toArray(double[][]::new);
        double[][] validRows = valid.stream().map(columns::row).toArray(double[][]::new);
        boolean[] validTruth = truth(valid);

        MutableDataset<Label> trainSet = new MutableDataset<>(
                new SimpleDataSourceProvenance("metadata train split", LABELS), LABELS);
        trainSet.addAll(examples(names, trainRows, truth(train)));
        long started = System.nanoTime();
        Model<Label> forest = trainer(names.length).train(trainSet);
        double trainSeconds = (System.nanoTime() - started) / 1e9;

        List<Prediction<Label>> predictions = forest.predict(examples(names, validRows, validTruth));
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(forest, predictions,
                new SimpleDataSourceProvenance("metadata valid split", LABELS));
        double auc = evaluation.AUCROC(BLEED);

        double trainShare = share(truth(train));
        double validShare = share(validTruth);
        double majority = trainShare > 0.5 ? validShare : 1 - validShare;
        List<BaselineReport.FeatureImportance> importances =
                importances(forest, names, validRows, validTruth, Auc.of(bleedScores(predictions), validTruth));
        return new BaselineReport(trees, seed, train.size(), valid.size(), trainShare, validShare, columns.names,
                columns.dropped, columns.imputed, evaluation.accuracy(), auc, majority, importances, trainSeconds,
                verdict(auc, evaluation.accuracy(), majority, importances));
    }

    private RandomForestTrainer<Label> trainer(int featureCount) {
        float fraction = featureFraction != null ? featureFraction
                : (float) Math.max(1, Math.round(Math.sqrt(featureCount))) / featureCount;
        // Tribuo refuses a forest whose trees see every feature; with one feature "all but a hair" still rounds to it.
        fraction = Math.min(fraction, Math.nextDown(1f));
        CARTClassificationTrainer tree = new CARTClassificationTrainer(maxDepth, CARTClassificationTrainer.MIN_EXAMPLES,
                0f, fraction, false, new GiniIndex(), seed);
        return new RandomForestTrainer<>(tree, new FullyWeightedVotingCombiner(), trees, seed);
    }

    /** Shuffles one column at a time with the same seeded permutation and records how much valid AUC falls. */
    private List<BaselineReport.FeatureImportance> importances(Model<Label> forest, String[] names,
                                                               double[][] rows, boolean[] truth, double auc) {
        int[] permutation = permutation(rows.length, new SplittableRandom(seed));
        List<BaselineReport.FeatureImportance> result = new ArrayList<>();
        for (int j = 0; j < names.length; j++) {
            double[][] shuffled = new double[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                shuffled[i] = rows[i].clone();
                shuffled[i][j] = rows[permutation[i]][j];
            }
            double[] scores = bleedScores(forest.predict(examples(names, shuffled, truth)));
            result.add(new BaselineReport.FeatureImportance(names[j], auc - Auc.of(scores, truth)));
        }
        result.sort(Comparator.comparingDouble(BaselineReport.FeatureImportance::aucDrop).reversed());
        return List.copyOf(result);
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

    private static List<Example<Label>> examples(String[] names, double[][] rows, boolean[] truth) {
        List<Example<Label>> examples = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            examples.add(new ArrayExample<>(truth[i] ? BLEED : NO_BLEED, names, rows[i]));
        }
        return examples;
    }

    private static double[] bleedScores(List<Prediction<Label>> predictions) {
        return predictions.stream().mapToDouble(p -> {
            Label score = p.getOutputScores().get(BLEED.getLabel());
            return score == null ? 0 : score.getScore();
        }).toArray();
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
        private int maxDepth = Integer.MAX_VALUE;
        private Float featureFraction;

        private Builder() {
        }

        /** Seeds bagging, the features tried at each split and the importance permutations. */
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

        /** Deepest a tree may grow; unlimited by default (leaves stop at Tribuo's minimum of 5 examples). */
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

        public MetadataBaseline build() {
            if (seed == null) {
                throw new IllegalArgumentException("setSeed is required: the experiment must be repeatable");
            }
            return new MetadataBaseline(this);
        }
    }
}
