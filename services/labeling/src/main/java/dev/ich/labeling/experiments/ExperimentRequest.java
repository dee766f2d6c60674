package dev.ich.labeling.experiments;

/**
 * {@code POST /experiments/metadata-baseline}.
 *
 * @param dataset         a published dataset id ({@code <name>@v<N>}); its train split fits, its valid split scores
 * @param trees           random-forest size (default: ich.labeling.baseline-trees, the seed's 200)
 * @param seed            forest and importance seed (default: the dataset's split seed)
 * @param maxTrainSlices  fit on a seeded sample of at most this many train slices (default 20,000: Tribuo's CART
 *                        needs minutes per tree at 150k rows, docs/benchmarks.md); valid is always scored whole
 */
public record ExperimentRequest(String dataset, Integer trees, Long seed, Integer maxTrainSlices) {
    public static final int DEFAULT_MAX_TRAIN_SLICES = 20_000;
}
