package dev.ich.inference.serving;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dicom.DicomLimits;
import dev.ich.core.dicom.SliceAdmission;
import dev.ich.core.event.Events;
import dev.ich.core.event.ModelPublished;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.inference.InferenceConfig;
import dev.ich.inference.InferenceMetrics;
import dev.ich.runtime.problem.ApiProblem;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model being served, swapped atomically. A swap loads the new version completely (weights, preprocessing,
 * warm-up) while the old one keeps answering, then replaces the reference in one step; requests that leased the
 * old version finish on it, and it closes after the last of them. So no request fails or mixes versions.
 *
 * <p>The truth is {@code models/serving.json}: read on start and again every {@code pointer-poll} (a missed event
 * or a storage outage at start heals by itself); {@code models-published} events make a swap happen at once.
 */
@ApplicationScoped
public class Serving {
    private static final Logger LOG = Logger.getLogger(Serving.class);

    @Inject
    ObjectStore store;
    @Inject
    InferenceConfig config;
    @Inject
    InferenceMetrics metrics;

    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    private volatile String notReadyReason = "starting: reading " + ObjectKeys.SERVING_MODEL;
    /** The last version that failed to load, so the pointer poll does not retry a broken model forever. */
    private volatile String failedArtifact;
    private ScheduledExecutorService poller;
    private ModelLoader loader;

    void onStart(@Observes StartupEvent event) {
        configureEngine(config);
        SliceAdmission admission = new SliceAdmission(DicomLimits.DEFAULT.withMaxFileBytes(config.maxInstanceBytes().asLongValue()),
                config.allowedModalities());
        loader = new ModelLoader(store, admission, config.workDirectory(), config.predictorCount(), config.batching().maxBatch(),
                config.batching().maxWait(), config.batching().queueCapacity(), cores(config), metrics);
        metrics.versionInUse(() -> {
            ServedModel m = current.get();
            return m == null ? Double.NaN : m.versionNumber();
        });
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "serving-pointer");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::followPointer, 0, config.pointerPoll().toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (poller != null) poller.shutdownNow();
        ServedModel m = current.getAndSet(null);
        if (m != null) m.retire();
    }

    /**
     * libtorch reads its thread counts once, when the engine starts: set them before the first model loads, unless
     * the command line did. Intra-op threads default to the cores shared among the predictors; one inter-op thread.
     * These are the defaults of threads that never set their own; every pass of this service sets its own
     * ({@link TorchThreads}).
     */
    static void configureEngine(InferenceConfig config) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("java.awt.headless", "true");
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = config.torchThreads() > 0 ? config.torchThreads() : Math.max(1, cores / config.predictorCount());
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", Integer.toString(threads)));
        TorchThreads.busy(Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads")));
        System.setProperty("ai.djl.pytorch.num_interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
    }

    /**
     * The adaptive pool's cores: a pass among others uses torch-threads, a pass alone on an idle pool every core while
     * other processes leave them free.
     */
    static Batcher.Cores cores(InferenceConfig config) {
        double maxOther = config.idleMaxOtherCpu();
        if (!(maxOther >= 0 && maxOther <= 1)) {
            throw new IllegalArgumentException("ich.inference.idle-max-other-cpu is a share of all cores' time, 0..1; got " + maxOther);
        }
        if (config.idleTorchThreads() < 0) {
            throw new IllegalArgumentException("ich.inference.idle-torch-threads must be 0 (one per core) or more; got " + config.idleTorchThreads());
        }
        OtherLoad others = new OtherLoad();
        return new Batcher.Cores(TorchThreads.busy(), Math.max(TorchThreads.busy(), config.idleTorchThreadCount()),
                () -> others.share() <= maxOther);
    }

    /** A lease on the current model (close it when done), or 503 with the reason there is none. */
    public Lease lease() {
        while (true) {
            ServedModel m = current.get();
            if (m == null) throw new ApiProblem(503, "NoModel", notReadyReason);
            if (m.tryLease()) return new Lease(m);
            // retired between the read and the lease: the swap has already set the new one
        }
    }

    /** The model a request uses from start to end. */
    public record Lease(ServedModel model) implements AutoCloseable {
        @Override
        public void close() {
            model.release();
        }
    }

    public Optional<ServedModel> current() {
        return Optional.ofNullable(current.get());
    }

    /** The loader of served versions (the bench endpoint loads an extra copy with it). */
    public ModelLoader loader() {
        return loader;
    }

    /** Why there is no model (null when there is one). */
    public String notReadyReason() {
        return current.get() == null ? notReadyReason : null;
    }

    /**
     * Serves the version an event (or the pointer) names, unless it already is served. Loading happens on the
     * caller's thread, outside any request path; ModelLoadException when the version cannot be served (the current
     * one stays).
     */
    public synchronized ServedModel serve(ModelPublished promoted) {
        ServedModel now = current.get();
        if (now != null && now.name().equals(promoted.name()) && now.version().equals(promoted.version())) return now;
        String key = promoted.artifactKey() != null ? promoted.artifactKey() : ObjectKeys.model(promoted.name(), promoted.version());
        long t0 = System.nanoTime();
        ServedModel next;
        try {
            next = loader.load(key);
        } catch (ModelLoader.ModelLoadException e) {
            failedArtifact = key;
            if (now == null) notReadyReason = "the promoted model cannot be served: " + e.getMessage();
            throw e;
        }
        if (!next.name().equals(promoted.name()) || !next.version().equals(promoted.version())) {
            next.retire();
            failedArtifact = key;
            throw new ModelLoader.ModelLoadException(key + "model.json is " + next + ", the promotion names " + promoted.name() + "/"
                    + promoted.version());
        }
        ServedModel old = current.getAndSet(next);
        failedArtifact = null;
        LOG.infof("serving %s (loaded in %.1f s)%s", next, (System.nanoTime() - t0) / 1e9, old == null ? "" : ", was " + old);
        if (old != null) old.retire();
        return next;
    }

    /** Reads models/serving.json and serves what it names; problems become the not-ready reason or a log line. */
    void followPointer() {
        try {
            if (store.stat(ObjectKeys.SERVING_MODEL).isEmpty()) {
                if (current.get() == null) notReadyReason = "no model has been promoted yet: " + ObjectKeys.SERVING_MODEL
                        + " is absent (promote one: POST /models/{name}/versions/{version}/promote on the training service)";
                return;
            }
            ModelPublished pointer = Events.JSON.readValue(store.get(ObjectKeys.SERVING_MODEL), ModelPublished.class);
            ServedModel now = current.get();
            if (now != null && now.name().equals(pointer.name()) && now.version().equals(pointer.version())) return;
            String key = pointer.artifactKey() != null ? pointer.artifactKey() : ObjectKeys.model(pointer.name(), pointer.version());
            if (key.equals(failedArtifact)) return;
            serve(pointer);
        } catch (StorageException e) {
            if (current.get() == null) notReadyReason = "storage unreachable, cannot read " + ObjectKeys.SERVING_MODEL + ": " + e.getMessage();
            LOG.warnf("cannot read %s: %s", ObjectKeys.SERVING_MODEL, e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            if (current.get() == null) notReadyReason = ObjectKeys.SERVING_MODEL + " is unreadable: " + e.getMessage();
            LOG.warnf("%s is unreadable: %s", ObjectKeys.SERVING_MODEL, e.getMessage());
        } catch (ModelLoader.ModelLoadException e) {
            LOG.errorf("the model %s names cannot be served: %s", ObjectKeys.SERVING_MODEL, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("following " + ObjectKeys.SERVING_MODEL + " failed", e);
        }
    }
}
