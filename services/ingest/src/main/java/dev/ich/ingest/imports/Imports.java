package dev.ich.ingest.imports;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.IngestSource;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;
import dev.ich.ingest.IngestConfig;
import dev.ich.ingest.Ingestor;
import dev.ich.ingest.StoreOutcome;
import dev.ich.ingest.StoreOutcome.Duplicate;
import dev.ich.ingest.StoreOutcome.Rejected;
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

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;

/**
 * Bulk imports of objects already in the bucket (how large archives arrive: copied in with any S3
 * tool, then imported). Each import lists its prefix page by page on its own thread and hands
 * objects to a shared pool of {@code ich.ingest.imports.parallelism} workers, never more in flight
 * than twice that, so a prefix of a million objects needs no memory beyond the current page.
 * A failed object is counted and listed, and the import goes on.
 *
 * <p>Each import is an operation (docs/operations.md) kept in {@code operations/imports/}: the ingest Service spreads
 * requests over replicas, and any of them answers GET /imports/{id}; one whose replica stopped answers as
 * interrupted, with what to do (re-running an import is safe: what is stored comes back as duplicates).
 */
@ApplicationScoped
public class Imports {
    @Inject
    Ingestor ingestor;
    @Inject
    ObjectStore store;
    @Inject
    IngestConfig config;
    @Inject
    OperationStores operations;

    private OperationStore<ImportDetails> imports;
    private ExecutorService listers;
    private ExecutorService workers;

    @PostConstruct
    void init() {
        listers = Executors.newCachedThreadPool(DaemonThreads.named("ich-import-list"));
        workers = Executors.newFixedThreadPool(config.imports().parallelism(), DaemonThreads.named("ich-import-worker"));
        imports = operations.open(ObjectKeys.OPERATIONS_IMPORTS, ImportDetails.class, op -> "POST /imports again with prefix \""
                + (op.details() == null ? "" : op.details().prefix()) + "\": what was already stored comes back as duplicates");
    }

    void onStop(@Observes ShutdownEvent event) {
        listers.shutdownNow();
        workers.shutdownNow();
    }

    /** Whether a key is ich's own (already ingested, ingest's bookkeeping, operations' checkpoints): never imported. */
    static boolean reserved(String key) {
        return key.startsWith(ObjectKeys.RAW_PREFIX) || key.startsWith(ObjectKeys.INGEST_PREFIX)
                || key.startsWith(ObjectKeys.OPERATIONS_PREFIX);
    }

    /** Starts an import; it is in the bucket before the caller gets the id, so any replica knows it. */
    Operation<ImportDetails> start(String prefix) {
        // a storage failure here fails the request (503): no id that no one can look up
        Operation<ImportDetails> started = imports.start(Operation.running(UUID.randomUUID().toString(), ImportDetails.KIND,
                Progress.none(ImportDetails.UNIT), ImportDetails.of(store.bucket(), prefix)).withMessage("listing " + prefix));
        listers.execute(() -> run(started.id(), prefix));
        return started;
    }

    /** This replica's own imports first; then what the replica that runs or ran it last wrote to the bucket. */
    Optional<Operation<ImportDetails>> find(String id) {
        return imports.find(id);
    }

    private void run(String id, String prefix) {
        int slots = 2 * config.imports().parallelism();
        Semaphore inFlight = new Semaphore(slots);
        try {
            for (StoredObject object : store.list(prefix)) {
                if (reserved(object.key())) continue;
                change(id, ImportDetails::listedOne);
                inFlight.acquire();
                workers.execute(() -> {
                    try {
                        importOne(id, object);
                    } finally {
                        inFlight.release();
                    }
                });
            }
            imports.update(id, op -> op.progressed(Progress.of(op.details().done(), op.details().seen(), ImportDetails.UNIT),
                    op.details()).withMessage("importing the last objects"));
            inFlight.acquire(slots); // wait for the last workers
            imports.update(id, op -> op.withMessage(null).succeeded(Progress.of(op.details().done(), op.details().seen(),
                    ImportDetails.UNIT), op.details()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            imports.update(id, op -> op.interrupted("the ingest service shut down during this import; POST /imports again with"
                    + " prefix \"" + prefix + "\": what was already stored comes back as duplicates"));
        } catch (RuntimeException e) {
            imports.update(id, op -> op.failed(Problem.of(503, "ListingFailed", "listing " + prefix + " failed: " + e.getMessage()
                    + "; POST /imports again when the bucket answers"), op.progress(), op.details()));
        }
    }

    /** One object's outcome; the total is known once the listing is done. */
    private void change(String id, UnaryOperator<ImportDetails> counted) {
        imports.update(id, op -> {
            ImportDetails d = counted.apply(op.details());
            Long total = op.progress().total() != null ? Long.valueOf(d.seen()) : null;
            return op.progressed(Progress.of(d.done(), total, ImportDetails.UNIT), d);
        });
    }

    private void importOne(String id, StoredObject object) {
        int maxListed = config.imports().maxListedFailures();
        try {
            if (object.size() > config.maxInstanceBytes()) {
                change(id, d -> d.failedOne(object.key(), "object of " + object.size() + " bytes exceeds the limit of "
                        + config.maxInstanceBytes() + " bytes (ich.ingest.max-instance-bytes)", maxListed));
                return;
            }
            StoreOutcome outcome = ingestor.ingest(store.get(object.key()), IngestSource.IMPORT);
            if (outcome instanceof Rejected r) change(id, d -> d.failedOne(object.key(), r.code() + ": " + r.reason(), maxListed));
            else if (outcome instanceof Duplicate) change(id, ImportDetails::duplicateOne);
            else change(id, ImportDetails::storedOne);
        } catch (RuntimeException e) {
            change(id, d -> d.failedOne(object.key(), "cannot import: " + e.getMessage(), maxListed));
        }
    }
}
