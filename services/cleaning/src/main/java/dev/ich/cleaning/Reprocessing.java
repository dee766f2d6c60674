package dev.ich.cleaning;

import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.SliceCleaned;
import dev.ich.runtime.DaemonThreads;
import dev.ich.runtime.operation.Operation;
import dev.ich.runtime.operation.OperationStore;
import dev.ich.runtime.operation.OperationStores;
import dev.ich.runtime.operation.Progress;
import dev.ich.runtime.problem.Problem;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Re-cleans every raw slice with a given pipeline, from storage (the raw/ listing), not from Kafka
 * history, which may have been compacted or expired. Rows are published like live ones, so the
 * compacted topic ends up holding the new version's row per slice. Each run is an operation
 * (docs/operations.md) any cleaning replica answers for.
 */
@ApplicationScoped
public class Reprocessing {
    private static final Logger LOG = Logger.getLogger(Reprocessing.class);

    private final ExecutorService workers;
    private OperationStore<ReprocessDetails> runs;

    @Inject
    RawObjects raw;

    @Inject
    SliceCleaner cleaner;

    @Inject
    CleanedPublisher publisher;

    @Inject
    OperationStores operations;

    @Inject
    public Reprocessing(CleaningConfig config) {
        this.workers = Executors.newFixedThreadPool(config.reprocessWorkers(), DaemonThreads.named("ich-reprocess"));
    }

    @PostConstruct
    void open() {
        // Re-cleaning is idempotent per slice (the compacted topic keeps one row per slice and version): running it again is safe.
        runs = operations.open(ObjectKeys.OPERATIONS_REPROCESS, ReprocessDetails.class, op -> "POST /reprocess again with the"
                + " same pipeline: slices already re-cleaned are cleaned to the same row");
    }

    /** Starts a run; it is in the bucket before the caller gets its id (a storage failure here is the caller's 503). */
    public Operation<ReprocessDetails> start(CleaningPipeline pipeline) {
        Operation<ReprocessDetails> run = runs.start(Operation.running(UUID.randomUUID().toString(), ReprocessDetails.KIND,
                Progress.none(ReprocessDetails.UNIT), new ReprocessDetails(pipeline.version().id(), 0, 0, 0))
                .withMessage("listing raw/"));
        // The coordinator waits on the workers, so it gets its own thread, never one of theirs.
        Thread coordinator = new Thread(() -> runAll(run.id(), pipeline), "ich-reprocess-" + run.id());
        coordinator.setDaemon(true);
        coordinator.start();
        return run;
    }

    public Optional<Operation<ReprocessDetails>> find(String id) {
        return runs.find(id);
    }

    private void runAll(String id, CleaningPipeline pipeline) {
        try {
            List<RawSlice> slices = raw.list();
            runs.update(id, op -> op.progressed(Progress.of(0, (long) slices.size(), ReprocessDetails.UNIT), op.details())
                    .withMessage("cleaning with " + pipeline.version().id()));
            CompletableFuture.allOf(slices.stream()
                    .map(s -> CompletableFuture.runAsync(() -> one(id, s, pipeline), workers))
                    .toArray(CompletableFuture[]::new)).join();
            Operation<ReprocessDetails> done = runs.update(id, op -> op.withMessage(null).succeeded(op.progress(), op.details()));
            LOG.infof("reprocess %s: %s", id, done.details());
        } catch (RuntimeException e) {
            LOG.errorf(e, "reprocess %s failed", id);
            runs.update(id, op -> op.failed(Problem.of(500, "ReprocessFailed", "the run stopped: " + e.getMessage()
                    + "; what it re-cleaned stays published, POST /reprocess again to finish"), op.progress(), op.details()));
        }
    }

    private void one(String id, RawSlice slice, CleaningPipeline pipeline) {
        boolean kept = false;
        boolean error;
        try {
            SliceCleaned result = cleaner.clean(slice, pipeline);
            publisher.send(result);
            kept = result.kept();
            error = result.error() != null;
        } catch (RuntimeException e) {
            // One slice's trouble must not stop the run; it is counted and logged with its key.
            LOG.warnf("reprocess %s: %s failed: %s", id, slice.objectKey(), e.getMessage());
            error = true;
        }
        boolean wasKept = kept;
        boolean wasError = error;
        runs.update(id, op -> op.progressed(Progress.of(op.progress().done() + 1, op.progress().total(), ReprocessDetails.UNIT),
                op.details().counted(wasKept, wasError)));
    }

    void onStop(@Observes ShutdownEvent event) {
        workers.shutdownNow();
    }
}
