package dev.ich.labeling.experiments;

import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.List;

/**
 * The forest the service fitted before XGBoost (Tribuo 4.3.2, unlimited depth, leaves of at least 5, sqrt(n) features
 * per split), kept in test scope only so {@code ./ich bench forest} can time it on the same rows.
 */
final class TribuoForest {

    private static final LabelFactory LABELS = new LabelFactory();

    private TribuoForest() {
    }

    /** Seconds to fit {@code trees} trees on the train split, columns chosen and gaps filled as the service does. */
    static double fitSeconds(List<MetadataSample> samples, int trees, long seed) {
        List<MetadataSample> train = samples.stream().filter(s -> s.split().equals(MetadataSample.TRAIN)).toList();
        List<MetadataSample> valid = samples.stream().filter(s -> s.split().equals(MetadataSample.VALID)).toList();
        FeatureColumns columns = FeatureColumns.decide(train, valid);
        String[] names = columns.names.toArray(String[]::new);
        List<Example<Label>> examples = new ArrayList<>(train.size());
        for (MetadataSample s : train) {
            examples.add(new ArrayExample<>(new Label(s.positive() ? "bleed" : "no-bleed"), names, columns.row(s)));
        }
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("bench train", LABELS), LABELS);
        dataset.addAll(examples);
        float fraction = Math.min((float) Math.max(1, Math.round(Math.sqrt(names.length))) / names.length, Math.nextDown(1f));
        CARTClassificationTrainer tree = new CARTClassificationTrainer(Integer.MAX_VALUE, CARTClassificationTrainer.MIN_EXAMPLES,
                0f, fraction, false, new GiniIndex(), seed);
        RandomForestTrainer<Label> forest = new RandomForestTrainer<>(tree, new FullyWeightedVotingCombiner(), trees, seed);
        long started = System.nanoTime();
        forest.train(dataset);
        return (System.nanoTime() - started) / 1e9;
    }
}
