package dev.ich.trainer;

import dev.ich.core.training.Architecture;
import dev.ich.core.training.JobKind;
import dev.ich.core.training.JobSpec;
import dev.ich.core.training.Optimizer;
import dev.ich.core.training.Task;
import picocli.CommandLine.Option;

/**
 * The hyperparameters of a run on the command line ({@code @Mixin}): each option goes straight into the job spec's
 * builder, so the command line and the job API name and check them the same way. Defaults are the phantoms' (docs/training.md).
 */
final class HyperParameters {
    final JobSpec.Builder spec = JobSpec.builder();
    // What the command itself needs too: the phantoms' task and seed, and the kind in the job's name.
    Task task;
    long seed;
    JobKind kind = JobKind.TRAIN;

    @Option(names = "--epochs", defaultValue = "4", description = "Epochs (default: ${DEFAULT-VALUE}).")
    void epochs(int epochs) {
        spec.optEpochs(epochs);
    }

    @Option(names = "--freeze-epochs", defaultValue = "0", description = "Epochs with the backbone frozen first (default: ${DEFAULT-VALUE}).")
    void freezeEpochs(int freezeEpochs) {
        spec.optFreezeEpochs(freezeEpochs);
    }

    @Option(names = "--lr", defaultValue = "0.05", description = "Peak learning rate (default: ${DEFAULT-VALUE}, best measured on phantoms "
            + "with SGD; the notebooks' AdamW pick was 3e-3).")
    void lr(double lr) {
        spec.optLr(lr);
    }

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    void batch(int batch) {
        spec.optBatchSize(batch);
    }

    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd or adamw (default: ${DEFAULT-VALUE}: steadier validation "
            + "on phantoms, docs/training.md).")
    void optimizer(String name) {
        spec.optOptimizer(Optimizer.parse(name));
    }

    @Option(names = "--task", defaultValue = "any", description = "any or multilabel (default: ${DEFAULT-VALUE}).")
    void task(String name) {
        task = Task.parse(name);
        spec.optTask(task);
    }

    @Option(names = "--architecture", defaultValue = "resnet18", description = "resnet18 or resnet34 (default: ${DEFAULT-VALUE}).")
    void architecture(String name) {
        spec.optArchitecture(Architecture.parse(name));
    }

    @Option(names = "--seed", defaultValue = "1", description = "Picks the phantoms, the split and the initial weights (default: ${DEFAULT-VALUE}).")
    void seed(long seed) {
        this.seed = seed;
        spec.optSeed(seed);
    }

    @Option(names = "--max-batches", description = "A budget of batches per epoch (a smoke run).")
    void maxBatches(int maxBatches) {
        spec.optMaxBatches(maxBatches);
    }

    @Option(names = "--lr-find", description = "Only run the learning-rate finder and print its suggestion.")
    void lrFind(boolean lrFind) {
        kind = lrFind ? JobKind.LR_FIND : JobKind.TRAIN;
        spec.optKind(kind);
    }
}
