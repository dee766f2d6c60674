package dev.ich.training;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of the training service ({@code ich.training.*}, ICH_TRAINING_* in the environment). */
@ConfigMapping(prefix = "ich.training")
public interface TrainingConfig {
    /** Where jobs run: {@code local} (a child process per run, the local stack's default) or {@code kubernetes}. */
    @WithDefault("local")
    String launcher();

    /** Upper bound of a job's {@code epochs} (the lower one is 1). */
    @WithDefault("100")
    int maxEpochs();

    /** Most seeds a sweep may run at once. */
    @WithDefault("16")
    int maxSweepSeeds();

    /**
     * The preprocessing pipeline version models must have been trained on to be promoted. Unset: the pipeline of
     * the model serving now ({@code models/serving.json}); with neither, any model may be promoted.
     * docs/training-api.md, "Promotion".
     */
    Optional<String> currentPipeline();

    /** Seconds between progress snapshots written to {@code jobs/<id>/state.json} (transitions are written at once). */
    @WithDefault("10s")
    Duration persistEvery();

    Promotion promotion();

    Local local();

    Kubernetes kubernetes();

    interface Promotion {
        /**
         * How much worse than the serving model a candidate may be, on any label's validation AUC
         * ({@code metrics.auc_<label>}) or operating-point sensitivity ({@code operatingPoint.<label>.sensitivity}),
         * and still be promoted without an override; absolute, in [0, 1]. docs/training-api.md, "Promotion gate".
         */
        @WithDefault("0.02")
        double tolerance();
    }

    interface Local {
        /** The trainer's shaded jar (services/trainer/target/ich-trainer.jar after a build). */
        @WithDefault("services/trainer/target/ich-trainer.jar")
        Path trainerJar();

        /** JVM options of each trainer process. */
        @WithDefault("-Xmx2g")
        String javaOptions();

        /** Per-run working folders (shard cache, checkpoints before upload) and the trainers' logs. */
        @WithDefault("${java.io.tmpdir}/ich-training")
        Path workDirectory();
    }

    interface Kubernetes {
        /** The batch/v1 Job template the Helm chart renders into a ConfigMap (docs/training-api.md, "Job template"). */
        @WithDefault("/etc/ich/training/job-template.yaml")
        Path template();

        /** Namespace of the Jobs; default: the client's (the service's own namespace in a pod). */
        Optional<String> namespace();

        /** Kueue LocalQueue: when set, Jobs carry {@code kueue.x-k8s.io/queue-name} and are created suspended. */
        Optional<String> queueName();

        /** How often Jobs and their pods are looked at. */
        @WithDefault("5s")
        Duration pollInterval();
    }
}
