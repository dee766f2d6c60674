package dev.ich.cleaning;

import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.event.SliceCleaned;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Re-cleans every raw slice with a given pipeline, from storage (the raw/ listing), not from Kafka
 * history, which may have been compacted or expired. Rows are published like live ones, so the
 * compacted topic ends up holding the new version's row per slice.
 */
@ApplicationScoped
public class Reprocessing {
    private static final Logger LOG = Logger.getLogger(Reprocessing.class);

    private final Map<String, ReprocessRun> runs = new ConcurrentHashMap<>();
    private final ExecutorService workers;

    @Inject
    RawObjects raw;

    @Inject
    SliceCleaner cleaner;

    @Inject
    CleanedPublisher publisher;

    @Inject
    public Reprocessing(CleaningConfig config) {
        this.workers = Executors.newFixedThreadPool(config.reprocessWorkers(), r -> {
            Thread t = new Thread(r, "ich-reprocess");
            t.setDaemon(true);
            return t;
        });
    }

    public ReprocessRun start(CleaningPipeline pipeline) {
        ReprocessRun run = new ReprocessRun(UUID.randomUUID().toString(), pipeline.version().id());
        runs.put(run.id(), run);
        // The coordinator waits on the workers, so it gets its own thread, never one of theirs.
        Thread coordinator = new Thread(() -> runAll(run, pipeline), "ich-reprocess-" + run.id());
        coordinator.setDaemon(true);
        coordinator.start();
        return run;
    }

    public Optional<ReprocessRun> find(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    private void runAll(ReprocessRun run, CleaningPipeline pipeline) {
        try {
            List<RawSlice> slices = raw.list();
            run.listed(slices.size());
            CompletableFuture.allOf(slices.stream()
                    .map(s -> CompletableFuture.runAsync(() -> one(run, s, pipeline), workers))
                    .toArray(CompletableFuture[]::new)).join();
            run.completed();
            LOG.infof("reprocess %s: %s", run.id(), run.progress());
        } catch (RuntimeException e) {
            LOG.errorf(e, "reprocess %s failed", run.id());
            run.failed(e.getMessage());
        }
    }

    private void one(ReprocessRun run, RawSlice slice, CleaningPipeline pipeline) {
        try {
            SliceCleaned result = cleaner.clean(slice, pipeline);
            publisher.send(result);
            run.finished(result.kept(), result.error() != null);
        } catch (RuntimeException e) {
            // One slice's trouble must not stop the run; it is counted and logged with its key.
            LOG.warnf("reprocess %s: %s failed: %s", run.id(), slice.objectKey(), e.getMessage());
            run.finished(false, true);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        workers.shutdownNow();
    }
}
