package dev.ich.cli.demo;

/**
 * What one demo run does. {@link #full} is the CPU-sized version of the notebooks' experiment (about 60 studies, 128 px, a
 * few epochs: within 20 minutes on 2 cores); {@link #quick} is the few-minute version the end-to-end test runs.
 *
 * @param studies        phantom studies sent to ingest (one patient each)
 * @param seed           phantoms, split, weights and augmentation
 * @param positiveRate   the phantoms' target share of bleeding slices (0.3: twice the balanced data of the real 1/7)
 * @param size           side of the cleaned images, and so of the network's input
 * @param epochs         the baseline's epochs from scratch
 * @param freezeEpochs   the fine-tune's epochs with the backbone frozen, before {@code unfreezeEpochs} unfrozen ones
 * @param lrFindBatches  batches of the learning-rate finder's sweep
 * @param sweep          seeds of the optional robustness sweep (0: none)
 * @param heldOut        phantom studies kept out of everything and sent to inference at the end
 */
public record DemoSettings(boolean quick, int studies, long seed, double positiveRate, int size, int epochs, int freezeEpochs,
                           int unfreezeEpochs, int batchSize, int lrFindBatches, int sweep, int heldOut) {
    public static final int SLICES_PER_STUDY = 32;

    public static DemoSettings full(int studies, long seed, int sweep) {
        return new DemoSettings(false, studies, seed, 0.3, 128, 4, 1, 1, 32, 40, sweep, 2);
    }

    public static DemoSettings quick(long seed, int sweep) {
        return new DemoSettings(true, 24, seed, 0.3, 64, 3, 1, 1, 32, 30, sweep, 1);
    }

    public DemoSettings withStudies(int n) {
        return new DemoSettings(quick, n, seed, positiveRate, size, epochs, freezeEpochs, unfreezeEpochs, batchSize, lrFindBatches, sweep, heldOut);
    }

    public DemoSettings withEpochs(int n) {
        return new DemoSettings(quick, studies, seed, positiveRate, size, n, freezeEpochs, unfreezeEpochs, batchSize, lrFindBatches, sweep, heldOut);
    }

    public DemoSettings withSize(int px) {
        return new DemoSettings(quick, studies, seed, positiveRate, px, epochs, freezeEpochs, unfreezeEpochs, batchSize, lrFindBatches, sweep, heldOut);
    }

    public int slices() {
        return studies * SLICES_PER_STUDY;
    }
}
