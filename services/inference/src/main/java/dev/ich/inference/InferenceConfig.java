package dev.ich.inference;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;

/** Settings of the inference service ({@code ich.inference.*}, ICH_INFERENCE_* in the environment). */
@ConfigMapping(prefix = "ich.inference")
public interface InferenceConfig {
    /** The model's name in the Open Inference Protocol paths ({@code /v2/models/<name>}); the promoted model's own name is its version's. */
    @WithDefault("ich")
    String servedName();

    /**
     * Predictors (each a copy of the weights and a thread): forward passes that may run at the same time; 0: one per
     * core. With {@link #torchThreads()} 1 the cores work on different batches instead of splitting one (see
     * docs/inference.md: splitting a batch across OpenMP threads stalls whenever preprocessing takes a core).
     */
    @WithDefault("0")
    int predictors();

    /** libtorch intra-op threads of a forward pass among others (a busy pool); 0: the cores divided by the predictors. */
    @WithDefault("1")
    int torchThreads();

    /**
     * Intra-op threads of a forward pass that is the pool's only work (no other pass running, nothing waiting) while
     * the machine's cores are free ({@link #idleMaxOtherCpu()}): a lone request then uses every core. 0: one per core;
     * 1, or anything not above {@link #torchThreads()}: every pass uses torch-threads. 1 by default: on the 2-core
     * machine ich is measured on, a pass of one image on two threads was no faster than on one (docs/inference.md,
     * "Adaptive pool"); {@code ./ich bench predict} prints both for a machine of your own.
     */
    @WithDefault("1")
    int idleTorchThreads();

    /**
     * The cores count as free for a pass on every core while other processes use at most this share (0..1) of all
     * cores' time: OpenMP threads that share their cores with another process's wait for each other at every barrier
     * and make a pass slower than one thread would.
     */
    @WithDefault("0.25")
    double idleMaxOtherCpu();

    /**
     * Threads that read and clean DICOM slices before their forward pass, for all requests together (served round robin
     * between requests); 0: max(1, cores - predictors, cores / 4), so that preprocessing leaves the predictors their cores.
     */
    @WithDefault("0")
    int preprocessThreads();

    /** {@link #idleTorchThreads()} resolved: 0 becomes the number of cores. */
    default int idleTorchThreadCount() {
        return idleTorchThreads() > 0 ? idleTorchThreads() : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** {@link #preprocessThreads()} resolved. */
    default int preprocessThreadCount() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        return preprocessThreads() > 0 ? preprocessThreads() : Math.max(1, Math.max(cores - predictorCount(), cores / 4));
    }

    /** {@link #predictors()} resolved: 0 becomes the number of cores. */
    default int predictorCount() {
        return predictors() > 0 ? predictors() : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    Batching batching();

    /** How often models/serving.json is read again: heals a missed models-published event or a storage outage at start. */
    @WithDefault("30s")
    Duration pointerPoll();

    interface Batching {
        /** Most images in one forward pass. */
        @WithDefault("16")
        int maxBatch();

        /** Longest a first image waits for company before its batch runs anyway. */
        @WithDefault("5ms")
        Duration maxWait();

        /** Images waiting for a predictor beyond which requests are refused (503) instead of queued. */
        @WithDefault("1024")
        int queueCapacity();
    }

    /**
     * Modalities whose slices are predicted (core's SliceAdmission, the rules ingest applies): anything else is refused
     * with 422 ModalityNotAllowed. CT, as ingest's {@code ich.ingest.allowed-modalities}: the models learnt from CT.
     */
    @WithDefault("CT")
    java.util.Set<String> allowedModalities();

    /** Largest {@code POST /predict} body and largest instance in a study (a CT slice is about 0.5 MB). */
    @WithDefault("64M")
    io.quarkus.runtime.configuration.MemorySize maxInstanceBytes();

    /** Largest {@code POST /predict/study} body (held in memory while its slices are predicted). */
    @WithDefault("512M")
    io.quarkus.runtime.configuration.MemorySize maxStudyBytes();

    /** Largest Open Inference Protocol request (JSON with base64 DICOM or FP32 numbers). */
    @WithDefault("256M")
    io.quarkus.runtime.configuration.MemorySize maxInferBytes();

    /** Where model versions are downloaded to before they are loaded. */
    @WithDefault("${java.io.tmpdir}/ich-inference")
    Path workDirectory();

    Triage triage();

    /**
     * Slice predictions queued for the {@code predictions} topic and not yet acknowledged, at most; more are dropped
     * (counted in {@code ich.inference.predictions.dropped}) so a slow broker never holds an answer.
     */
    @WithDefault("4096")
    int maxPendingPredictions();

    /** The study triage (docs/dicom.md, "Study triage"). */
    interface Triage {
        /** Institution Name written into the result objects' equipment module; absent: left empty. */
        java.util.Optional<String> institution();

        /** Most recent studies the worklist keeps in memory (each replica replays study-predicted into it at start). */
        @WithDefault("2000")
        int worklistSize();
    }

    /** {@code POST /bench/forward}: the raw forward throughput of the served model, for {@code ./ich bench predict}. Off in production. */
    @WithDefault("false")
    boolean benchEndpoint();
}
