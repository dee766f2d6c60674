package dev.ich.model;

import dev.ich.core.augment.AugmentationConfig;
import dev.ich.core.contract.ObjectKeys;

/**
 * A training job as the job-submission API and the trainer read it (JSON). Every field but {@code id} and
 * {@code dataset} has a default; {@link #resolved()} fills them in, and the resolved spec is what
 * {@code jobs/<id>/spec.json} records.
 *
 * @param kind             {@code train} (default) or {@code lr-find} (only the finder)
 * @param dataset          a published dataset id, {@code <name>@v<N>}
 * @param task             {@code any} or {@code multilabel}; default: the dataset's task
 * @param architecture     {@code resnet18} (default) or {@code resnet34}
 * @param pretrained       null (random init), {@code model:<name>/<version>} (a registry model of the same
 *                         architecture) or {@code s3:pretrained/<file>} (a TorchScript backbone in the bucket); nothing
 *                         else ({@link PretrainedSource})
 * @param freezeEpochs     epochs with the backbone frozen (batch norm still training); default 0
 * @param epochs           total epochs; default 5 (the notebooks')
 * @param lr               one rate (default 3e-3, the notebooks' finder pick); or {@code lrMin}..{@code lrMax}
 * @param batchSize        default 32 on CPU (the notebooks used 256 on a GPU)
 * @param augmentations    training augmentations (core's AugmentationConfig); null = defaults; validation never
 * @param maxBatches       a budget of batches per epoch (tests use 2); null = all
 */
public record JobSpec(String id, String kind, String dataset, String task, String architecture, String pretrained,
                      Integer freezeEpochs, Integer epochs, Double lr, Double lrMin, Double lrMax, Integer batchSize,
                      Integer imageSize, AugmentationConfig augmentations, Boolean augment, Long seed, String device,
                      String modelName, String optimizer, String schedule, Double weightDecay, Double dropout, Integer workers,
                      Integer maxBatches) {
    public static final String TRAIN = "train";
    public static final String LR_FIND = "lr-find";

    /** Every default filled in and every value checked; IllegalArgumentException names the field. */
    public JobSpec resolved() {
        if (id == null) throw new IllegalArgumentException("id is required");
        ObjectKeys.requireName("id", id);
        if (dataset == null || !dataset.contains("@")) {
            throw new IllegalArgumentException("dataset must be a published dataset id like any-balanced@v1, not " + dataset);
        }
        String k = kind == null ? TRAIN : kind;
        if (!k.equals(TRAIN) && !k.equals(LR_FIND)) throw new IllegalArgumentException("kind must be train or lr-find, not " + k);
        Architecture.parse(architecture == null ? "resnet18" : architecture);
        if (task != null) Task.parse(task);
        if (pretrained != null) PretrainedSource.parse(pretrained);
        int e = epochs == null ? 5 : epochs;
        int f = freezeEpochs == null ? 0 : freezeEpochs;
        double rate = lr == null ? 3e-3 : lr;
        double max = lrMax != null ? lrMax : rate;
        double min = lrMin != null ? lrMin : max;
        new FitPlan(f, e, min, max, FitPlan.Schedule.ONE_CYCLE, FitPlan.OptimizerKind.ADAMW, 0); // validates the numbers
        int b = batchSize == null ? 32 : batchSize;
        if (b < 1 || b > 4096) throw new IllegalArgumentException("batchSize must be 1..4096, not " + b);
        String opt = optimizer == null ? "adamw" : optimizer.toLowerCase(java.util.Locale.ROOT);
        FitPlan.OptimizerKind.valueOf(opt.toUpperCase(java.util.Locale.ROOT));
        String sched = schedule == null ? "one_cycle" : schedule.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        FitPlan.Schedule.valueOf(sched.toUpperCase(java.util.Locale.ROOT));
        if (maxBatches != null && maxBatches < 1) throw new IllegalArgumentException("maxBatches must be at least 1");
        String name = modelName == null ? dataset.substring(0, dataset.indexOf('@')) : modelName;
        ObjectKeys.requireName("modelName", name);
        return new JobSpec(id, k, dataset, task, architecture == null ? "resnet18" : architecture.toLowerCase(java.util.Locale.ROOT),
                pretrained, f, e, rate, min, max, b, imageSize, augmentations == null ? AugmentationConfig.defaults() : augmentations,
                augment == null || augment, seed == null ? 42L : seed, device == null ? "auto" : device, name, opt, sched,
                weightDecay == null ? 0.01 : weightDecay, dropout == null ? 0.25 : dropout, workers == null ? 2 : workers, maxBatches);
    }

    public FitPlan plan() {
        return new FitPlan(freezeEpochs, epochs, lrMin, lrMax, FitPlan.Schedule.valueOf(schedule.toUpperCase(java.util.Locale.ROOT)),
                FitPlan.OptimizerKind.valueOf(optimizer.toUpperCase(java.util.Locale.ROOT)), weightDecay);
    }
}
