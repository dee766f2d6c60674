package dev.ich.core.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import dev.ich.core.augment.AugmentationConfig;
import dev.ich.core.contract.ObjectKeys;

import java.util.ArrayList;
import java.util.List;

/**
 * A training job as the job-submission API takes it and the trainer runs it: {@code jobs/<id>/spec.json} records it
 * with every default filled in. JSON is read through the {@link Builder} (only {@code id} and {@code dataset} are
 * required; {@link Builder#build()} fills in the rest and checks every value), so a spec is always valid and complete.
 *
 * @param kind          {@link JobKind#TRAIN} or {@link JobKind#LR_FIND} (only the finder)
 * @param dataset       a published dataset id, {@code <name>@v<N>}
 * @param task          null: the dataset's task
 * @param pretrained    null (random init), {@code model:<name>/<version>} (a registry model of the same architecture) or
 *                      {@code s3:pretrained/<file>} (a TorchScript backbone in the bucket); nothing else ({@link PretrainedSource})
 * @param freezeEpochs  epochs with the backbone frozen (batch norm still training)
 * @param epochs        total epochs, frozen ones included
 * @param lr            the one rate asked for; {@code lrMin}..{@code lrMax} are the discriminative rates (both {@code lr} when not given)
 * @param batchSize     32 on CPU by default (the notebooks used 256 on a GPU)
 * @param imageSize     null: the dataset's
 * @param augmentations training augmentations; validation never
 * @param maxBatches    a budget of batches per epoch (tests use 2); null = all
 * @param sourceModel   {@code model:<name>/<version>}: the registry model a {@code calibrate} or {@code study-head} job
 *                      starts from (required for those kinds, refused for the others); null otherwise
 */
@JsonDeserialize(builder = JobSpec.Builder.class)
public record JobSpec(String id, JobKind kind, String dataset, Task task, Architecture architecture, String pretrained,
                      int freezeEpochs, int epochs, double lr, double lrMin, double lrMax, int batchSize, Integer imageSize,
                      AugmentationConfig augmentations, boolean augment, long seed, String device, String modelName,
                      Optimizer optimizer, Schedule schedule, double weightDecay, double dropout, int workers, Integer maxBatches,
                      String sourceModel) {

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values: to derive another spec (a sweep's run) from it. */
    public Builder toBuilder() {
        return builder().setId(id).optKind(kind).setDataset(dataset).optTask(task).optArchitecture(architecture).optPretrained(pretrained)
                .optFreezeEpochs(freezeEpochs).optEpochs(epochs).optLr(lr).optLrMin(lrMin).optLrMax(lrMax).optBatchSize(batchSize)
                .optImageSize(imageSize).optAugmentations(augmentations).optAugment(augment).optSeed(seed).optDevice(device)
                .optModelName(modelName).optOptimizer(optimizer).optSchedule(schedule).optWeightDecay(weightDecay).optDropout(dropout)
                .optWorkers(workers).optMaxBatches(maxBatches).optSourceModel(sourceModel);
    }

    /** {@link #sourceModel()} parsed; null when the job has none. */
    public PretrainedSource.Registry sourceRegistryModel() {
        return sourceModel == null ? null : (PretrainedSource.Registry) PretrainedSource.parse(sourceModel);
    }

    /** The dataset's name, before the {@code @}. */
    public String datasetName() {
        return dataset.substring(0, dataset.indexOf('@'));
    }

    /** The dataset's version, after the {@code @}. */
    public String datasetVersion() {
        return dataset.substring(dataset.indexOf('@') + 1);
    }

    /**
     * Values of a spec in the making: {@code set*} for the required ones, {@code opt*} for those with a default (null: the
     * default). {@link #violations()} lists every rule broken; {@link #build()} is the spec, or all of them at once.
     */
    @JsonPOJOBuilder
    public static final class Builder {
        private String id;
        private JobKind kind;
        private String dataset;
        private Task task;
        private Architecture architecture;
        private String pretrained;
        private Integer freezeEpochs;
        private Integer epochs;
        private Double lr;
        private Double lrMin;
        private Double lrMax;
        private Integer batchSize;
        private Integer imageSize;
        private AugmentationConfig augmentations;
        private Boolean augment;
        private Long seed;
        private String device;
        private String modelName;
        private Optimizer optimizer;
        private Schedule schedule;
        private Double weightDecay;
        private Double dropout;
        private Integer workers;
        private Integer maxBatches;
        private String sourceModel;

        Builder() {
        }

        /** The job's id: it names {@code jobs/<id>/}. */
        @JsonProperty("id")
        public Builder setId(String id) {
            this.id = id;
            return this;
        }

        /** A published dataset id, {@code <name>@v<N>}. */
        @JsonProperty("dataset")
        public Builder setDataset(String dataset) {
            this.dataset = dataset;
            return this;
        }

        @JsonProperty("kind")
        public Builder optKind(JobKind kind) {
            this.kind = kind;
            return this;
        }

        @JsonProperty("task")
        public Builder optTask(Task task) {
            this.task = task;
            return this;
        }

        @JsonProperty("architecture")
        public Builder optArchitecture(Architecture architecture) {
            this.architecture = architecture;
            return this;
        }

        @JsonProperty("pretrained")
        public Builder optPretrained(String pretrained) {
            this.pretrained = pretrained;
            return this;
        }

        @JsonProperty("freezeEpochs")
        public Builder optFreezeEpochs(Integer freezeEpochs) {
            this.freezeEpochs = freezeEpochs;
            return this;
        }

        @JsonProperty("epochs")
        public Builder optEpochs(Integer epochs) {
            this.epochs = epochs;
            return this;
        }

        @JsonProperty("lr")
        public Builder optLr(Double lr) {
            this.lr = lr;
            return this;
        }

        @JsonProperty("lrMin")
        public Builder optLrMin(Double lrMin) {
            this.lrMin = lrMin;
            return this;
        }

        @JsonProperty("lrMax")
        public Builder optLrMax(Double lrMax) {
            this.lrMax = lrMax;
            return this;
        }

        @JsonProperty("batchSize")
        public Builder optBatchSize(Integer batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        @JsonProperty("imageSize")
        public Builder optImageSize(Integer imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        @JsonProperty("augmentations")
        public Builder optAugmentations(AugmentationConfig augmentations) {
            this.augmentations = augmentations;
            return this;
        }

        @JsonProperty("augment")
        public Builder optAugment(Boolean augment) {
            this.augment = augment;
            return this;
        }

        @JsonProperty("seed")
        public Builder optSeed(Long seed) {
            this.seed = seed;
            return this;
        }

        @JsonProperty("device")
        public Builder optDevice(String device) {
            this.device = device;
            return this;
        }

        @JsonProperty("modelName")
        public Builder optModelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        @JsonProperty("optimizer")
        public Builder optOptimizer(Optimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        @JsonProperty("schedule")
        public Builder optSchedule(Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        @JsonProperty("weightDecay")
        public Builder optWeightDecay(Double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        @JsonProperty("dropout")
        public Builder optDropout(Double dropout) {
            this.dropout = dropout;
            return this;
        }

        @JsonProperty("workers")
        public Builder optWorkers(Integer workers) {
            this.workers = workers;
            return this;
        }

        @JsonProperty("maxBatches")
        public Builder optMaxBatches(Integer maxBatches) {
            this.maxBatches = maxBatches;
            return this;
        }

        /** {@code model:<name>/<version>}: the model a {@code calibrate} or {@code study-head} job starts from. */
        @JsonProperty("sourceModel")
        public Builder optSourceModel(String sourceModel) {
            this.sourceModel = sourceModel;
            return this;
        }

        /** Every rule the values break, in field order; empty when {@link #build()} succeeds. */
        public List<Violation> violations() {
            List<Violation> out = new ArrayList<>();
            if (id == null) out.add(new Violation("id", "id is required"));
            else name(out, "id", id);
            if (dataset == null || !dataset.contains("@")) {
                out.add(new Violation("dataset", "dataset must be a published dataset id like any-balanced@v1, not " + dataset));
            }
            if (pretrained != null) {
                try {
                    PretrainedSource.parse(pretrained);
                } catch (IllegalArgumentException e) {
                    out.add(new Violation("pretrained", e.getMessage()));
                }
            }
            int e = epochs();
            if (e < 1) out.add(new Violation("epochs", "epochs must be at least 1, not " + e));
            int f = freezeEpochs();
            if (f < 0 || e >= 1 && f > e) out.add(new Violation("freezeEpochs", "freezeEpochs must be 0..epochs (" + e + "), not " + f));
            if (!(lr() > 0)) out.add(new Violation("lr", "lr must be positive, not " + lr()));
            else if (!(lrMax() > 0)) out.add(new Violation("lrMax", "lrMax must be positive, not " + lrMax()));
            else if (!(lrMin() > 0 && lrMin() <= lrMax())) {
                out.add(new Violation("lrMin", "lrMin must be positive and at most lrMax (" + lrMax() + "), not " + lrMin()));
            }
            int b = batchSize();
            if (b < 1 || b > 4096) out.add(new Violation("batchSize", "batchSize must be 1..4096, not " + b));
            if (!(weightDecay() >= 0)) out.add(new Violation("weightDecay", "weightDecay must not be negative, not " + weightDecay()));
            if (maxBatches != null && maxBatches < 1) out.add(new Violation("maxBatches", "maxBatches must be at least 1, not " + maxBatches));
            if (modelName != null || dataset != null && dataset.contains("@")) name(out, "modelName", modelName());
            JobKind k = kind == null ? JobKind.TRAIN : kind;
            if (k.needsSourceModel() && sourceModel == null) {
                out.add(new Violation("sourceModel", "a " + k.json() + " job needs sourceModel: model:<name>/<version>, the registry model it starts from"));
            } else if (!k.needsSourceModel() && sourceModel != null) {
                out.add(new Violation("sourceModel", "sourceModel is for calibrate and study-head jobs; a " + k.json()
                        + " job starts from pretrained, not '" + sourceModel + "'"));
            } else if (sourceModel != null && !(sourceModel.startsWith("model:") && parsesAsRegistryModel(sourceModel))) {
                out.add(new Violation("sourceModel", "sourceModel must be model:<name>/<version> (a registry model), not '"
                        + (sourceModel.length() > 80 ? sourceModel.substring(0, 80) + "..." : sourceModel) + "'"));
            }
            return out;
        }

        /** The spec, every default filled in; or InvalidJobSpecException with every rule broken. */
        public JobSpec build() {
            List<Violation> violations = violations();
            if (!violations.isEmpty()) throw new InvalidJobSpecException(violations);
            return new JobSpec(id, kind == null ? JobKind.TRAIN : kind, dataset, task, architecture == null ? Architecture.RESNET18 : architecture,
                    pretrained, freezeEpochs(), epochs(), lr(), lrMin(), lrMax(), batchSize(), imageSize,
                    augmentations == null ? AugmentationConfig.defaults() : augmentations, augment == null || augment, seed == null ? 42L : seed,
                    device == null ? "auto" : device, modelName(), optimizer == null ? Optimizer.ADAMW : optimizer,
                    schedule == null ? Schedule.ONE_CYCLE : schedule, weightDecay(), dropout == null ? 0.25 : dropout,
                    workers == null ? 2 : workers, maxBatches, sourceModel);
        }

        // The defaults (the notebooks' where they had one: docs/training-api.md, "Job spec").

        private int epochs() {
            return epochs == null ? 5 : epochs;
        }

        private int freezeEpochs() {
            return freezeEpochs == null ? 0 : freezeEpochs;
        }

        private double lr() {
            return lr == null ? 3e-3 : lr;
        }

        private double lrMax() {
            return lrMax != null ? lrMax : lr();
        }

        private double lrMin() {
            return lrMin != null ? lrMin : lrMax();
        }

        private int batchSize() {
            return batchSize == null ? 32 : batchSize;
        }

        private double weightDecay() {
            return weightDecay == null ? 0.01 : weightDecay;
        }

        private String modelName() {
            return modelName != null ? modelName : dataset.substring(0, dataset.indexOf('@'));
        }

        private static boolean parsesAsRegistryModel(String reference) {
            try {
                return PretrainedSource.parse(reference) instanceof PretrainedSource.Registry;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static void name(List<Violation> out, String field, String value) {
            try {
                ObjectKeys.requireName(field, value);
            } catch (IllegalArgumentException e) {
                out.add(new Violation(field, e.getMessage()));
            }
        }
    }
}
