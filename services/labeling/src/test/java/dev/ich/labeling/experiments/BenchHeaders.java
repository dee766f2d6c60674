package dev.ich.labeling.experiments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The rows {@code ./ich bench forest} times both forests on (docs/benchmarks.md, "Metadata-only forest"): 30
 * header-like columns, every third integer-valued 0-7 and the rest continuous, 2% of values missing, about half the
 * slices positive with a weak signal in three columns, so the forest has something to find but not much.
 */
final class BenchHeaders {

    static final int COLUMNS = 30;
    static final double MISSING = 0.02;
    /** The columns the label depends on, weakly. */
    static final List<String> SIGNAL = List.of(name(0), name(1), name(3));

    private BenchHeaders() {
    }

    /** {@code train} train rows, then {@code valid} valid rows, seeded. */
    static List<MetadataSample> rows(int train, int valid, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<MetadataSample> rows = new ArrayList<>(train + valid);
        for (int i = 0; i < train + valid; i++) {
            double[] x = new double[COLUMNS];
            for (int j = 0; j < COLUMNS; j++) {
                x[j] = j % 3 == 0 ? random.nextInt(8) : random.nextGaussian() * (1 + j % 5) + j;
            }
            // standardised contributions of two continuous columns and one integer one, then noise of twice their size
            double evidence = 0.25 * (x[1] - 1) / 2 + 0.25 * (x[0] - 3.5) / 2.3 + 0.25 * (x[3] - 3.5) / 2.3;
            boolean positive = evidence + random.nextGaussian() > 0;
            Map<String, Double> features = new HashMap<>();
            for (int j = 0; j < COLUMNS; j++) {
                features.put(name(j), random.nextDouble() < MISSING ? null : x[j]);
            }
            rows.add(new MetadataSample("1.2.826.0.1." + i, i < train ? MetadataSample.TRAIN : MetadataSample.VALID,
                    features, positive));
        }
        return rows;
    }

    static String name(int column) {
        return String.format("Header%02d", column);
    }
}
