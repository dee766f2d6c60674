package dev.ich.ingest;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.IngestSource;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;
import dev.ich.ingest.StoreOutcome.Duplicate;
import dev.ich.ingest.StoreOutcome.Rejected;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Bulk imports of objects already in the bucket (how large archives arrive: copied in with any S3
 * tool, then imported). Each import lists its prefix page by page on its own thread and hands
 * objects to a shared pool of {@code ich.ingest.imports.parallelism} workers, never more in flight
 * than twice that, so a prefix of a million objects needs no memory beyond the current page.
 * A failed object is counted and listed, and the import goes on. Imports live in memory: a restart
 * forgets them (re-running one is safe: what is stored comes back as duplicates).
 */
@ApplicationScoped
public class Imports {
    @Inject
    Ingestor ingestor;
    @Inject
    ObjectStore store;
    @Inject
    IngestConfig config;

    private final Map<String, ImportJob> jobs = new ConcurrentHashMap<>();
    private ExecutorService listers;
    private ExecutorService workers;

    @PostConstruct
    void init() {
        listers = Executors.newCachedThreadPool(named("ich-import-list"));
        workers = Executors.newFixedThreadPool(config.imports().parallelism(), named("ich-import-worker"));
    }

    void onStop(@Observes ShutdownEvent event) {
        listers.shutdownNow();
        workers.shutdownNow();
    }

    ImportJob start(String prefix) {
        ImportJob job = new ImportJob(UUID.randomUUID().toString(), store.bucket(), prefix, config.imports().maxListedFailures());
        jobs.put(job.id, job);
        listers.execute(() -> run(job));
        return job;
    }

    Optional<ImportJob> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    private void run(ImportJob job) {
        Semaphore inFlight = new Semaphore(2 * config.imports().parallelism());
        try {
            for (StoredObject object : store.list(job.prefix)) {
                // Already ingested objects and ingest's own bookkeeping are never imported again.
                if (object.key().startsWith(ObjectKeys.RAW_PREFIX) || object.key().startsWith(ObjectKeys.INGEST_PENDING_PREFIX)) {
                    continue;
                }
                job.seen.incrementAndGet();
                inFlight.acquire();
                workers.execute(() -> {
                    try {
                        importOne(job, object);
                    } finally {
                        inFlight.release();
                    }
                });
            }
            job.listingDone();
            inFlight.acquire(2 * config.imports().parallelism()); // wait for the last workers
            job.finish(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.finish("interrupted: the service is shutting down");
        } catch (RuntimeException e) {
            job.finish("listing " + job.prefix + " failed: " + e.getMessage());
        }
    }

    private void importOne(ImportJob job, StoredObject object) {
        try {
            if (object.size() > config.maxInstanceBytes()) {
                job.fail(object.key(), "object of " + object.size() + " bytes exceeds the limit of "
                        + config.maxInstanceBytes() + " bytes (ich.ingest.max-instance-bytes)");
                return;
            }
            StoreOutcome outcome = ingestor.ingest(store.get(object.key()), IngestSource.IMPORT);
            if (outcome instanceof Rejected r) job.fail(object.key(), r.code() + ": " + r.reason());
            else if (outcome instanceof Duplicate) job.duplicate.incrementAndGet();
            else job.stored.incrementAndGet();
        } catch (RuntimeException e) {
            job.fail(object.key(), "cannot import: " + e.getMessage());
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
