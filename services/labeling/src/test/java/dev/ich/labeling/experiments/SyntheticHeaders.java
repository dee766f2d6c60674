package dev.ich.labeling.experiments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Joined header-and-label tables made up for the tests: a few noise columns, optionally one column that decides
 * bleeding, and the notebooks' mistake on demand (labels shuffled against the rows, as two tables filtered apart).
 */
final class SyntheticHeaders {

    static final String SIGNAL = "SliceSignal";

    private SyntheticHeaders() {
    }

    /**
     * @param rows        slices; the first 3/4 are train, the rest valid
     * @param noise       columns independent of the label, named noise0, noise1, ...
     * @param informative whether {@link #SIGNAL} decides the label (about 30% positives either way)
     * @param misaligned  shuffle the labels against the rows, the notebooks' un-joined tables
     */
    static List<MetadataSample> table(int rows, int noise, boolean informative, boolean misaligned, long seed) {
        Random random = new Random(seed);
        List<Map<String, Double>> features = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            Map<String, Double> f = new HashMap<>();
            for (int k = 0; k < noise; k++) {
                f.put("noise" + k, random.nextGaussian() * (k + 1) + k);
            }
            double signal = random.nextGaussian();
            f.put(SIGNAL, signal);
            features.add(f);
            labels.add(informative ? signal + 0.2 * random.nextGaussian() > 0.5 : random.nextDouble() < 0.3);
        }
        if (misaligned) {
            java.util.Collections.shuffle(labels, random);
        }
        List<MetadataSample> samples = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            String split = i < rows * 3 / 4 ? MetadataSample.TRAIN : MetadataSample.VALID;
            samples.add(new MetadataSample("1.2.840." + i, split, features.get(i), labels.get(i)));
        }
        return samples;
    }
}
