package dev.ich.labeling.experiments;

/**
 * {@code POST /experiments/metadata-baseline}.
 *
 * @param dataset         a published dataset id ({@code <name>@v<N>}); its train split fits, its valid split scores
 * @param trees           random-forest size (default: ich.labeling.baseline-trees, the notebooks' 200)
 * @param seed            forest and importance seed (default: the dataset's split seed)
 * @param maxTrainSlices  optional cap: fit on a seeded sample of at most this many train slices (at least
 *                        {@value #MIN_TRAIN_SLICES}); by default every train slice (the forest fits the notebooks' 155k in
 *                        under a minute, docs/benchmarks.md). Valid is always scored whole
 */
public record ExperimentRequest(String dataset, Integer trees, Long seed, Integer maxTrainSlices) {
    public static final int MIN_TRAIN_SLICES = 10;
}
