package dev.ich.ingest.imports;

import dev.ich.runtime.DaemonThreads;
import dev.ich.ingest.IngestConfig;
import dev.ich.ingest.Ingestor;
import dev.ich.ingest.StoreOutcome;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bulk imports of objects already in the bucket (how large archives arrive: copied in with any S3
 * tool, then imported). Each import lists its prefix page by page on its own thread and hands
 * objects to a shared pool of {@code ich.ingest.imports.parallelism} workers, never more in flight
 * than twice that, so a prefix of a million objects needs no memory beyond the current page.
 * A failed object is counted and listed, and the import goes on.
 *
 * <p>The ingest Service spreads requests over replicas, so the replica running an import writes its status to
 * {@code ingest/imports/<id>.json} when it starts, every {@code ich.ingest.imports.checkpoint-interval} and when it
 * ends; any replica answers GET /imports/{id} from there. A replica that stops mid-import leaves a running status
 * that ages: after three intervals it is reported as interrupted, with what to do (re-running an import is safe:
 * what is stored comes back as duplicates).
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
    ObjectMapper json;

    private static final Logger LOG = Logger.getLogger(Imports.class);
    private final Map<String, ImportJob> jobs = new ConcurrentHashMap<>();
    private final String replica = replicaName();
    private ExecutorService listers;
    private ExecutorService workers;
    private ScheduledExecutorService checkpoints;

    @PostConstruct
    void init() {
        listers = Executors.newCachedThreadPool(DaemonThreads.named("ich-import-list"));
        workers = Executors.newFixedThreadPool(config.imports().parallelism(), DaemonThreads.named("ich-import-worker"));
        checkpoints = DaemonThreads.scheduler("ich-import-checkpoint");
        long every = config.imports().checkpointInterval().toMillis();
        checkpoints.scheduleWithFixedDelay(this::checkpointRunning, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        checkpoints.shutdownNow();
        listers.shutdownNow();
        workers.shutdownNow();
    }

    /** Starts an import; its status is in the bucket before the caller gets the id, so any replica knows it. */
    ImportJob start(String prefix) {
        ImportJob job = new ImportJob(UUID.randomUUID().toString(), store.bucket(), prefix, replica,
                config.imports().maxListedFailures());
        checkpoint(job.status()); // a storage failure here fails the request (503): no id that no one can look up
        jobs.put(job.id, job);
        listers.execute(() -> run(job));
        return job;
    }

    /** This replica's own imports first; then what the replica that runs or ran it last wrote to the bucket. */
    Optional<ImportJob.Status> find(String id) {
        ImportJob local = jobs.get(id);
        if (local != null) return Optional.of(local.status());
        if (!ObjectKeys.isImportId(id)) return Optional.empty();
        String key = ObjectKeys.ingestImport(id);
        if (store.stat(key).isEmpty()) return Optional.empty();
        ImportJob.Status stored;
        try {
            // A record another replica wrote, maybe a newer version with more fields: read leniently (requests are strict).
            stored = json.readerFor(ImportJob.Status.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(store.get(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key + ": " + e.getMessage(), e);
        }
        boolean stale = stored.state() == ImportJob.State.running && (stored.updatedAt() == null
                || Duration.between(stored.updatedAt(), Instant.now()).compareTo(config.imports().checkpointInterval().multipliedBy(3)) > 0);
        return Optional.of(stale ? stored.interrupted() : stored);
    }

    private void checkpointRunning() {
        for (ImportJob job : jobs.values()) {
            if (!job.running()) continue;
            try {
                checkpointLocked(job);
            } catch (RuntimeException e) {
                // the import itself goes on; other replicas see an older status until the next checkpoint
                LOG.warnf("import %s: cannot checkpoint its status (%s); retrying in %s", job.id, e.getMessage(),
                        config.imports().checkpointInterval());
            }
        }
    }

    /**
     * One writer per job at a time, and the status taken inside the lock: a periodic "running" snapshot can then never
     * be written after the final one, which would leave a finished import looking interrupted to the other replicas.
     */
    private void checkpointLocked(ImportJob job) {
        synchronized (job) {
            checkpoint(job.status());
        }
    }

    private void checkpoint(ImportJob.Status status) {
        try {
            store.put(ObjectKeys.ingestImport(status.id()), json.writeValueAsBytes(status), "application/json", Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("import status is not serialisable: " + e.getMessage(), e);
        }
    }

    private void finish(ImportJob job, String fatal) {
        try {
            synchronized (job) {
                job.finish(fatal);
                checkpoint(job.status());
            }
        } catch (RuntimeException e) {
            // this replica still answers; the others would report the import interrupted after three intervals
            LOG.errorf("import %s %s, but its final status could not be written to the bucket: %s", job.id,
                    fatal == null ? "completed" : "failed", e.getMessage());
        }
    }

    private void run(ImportJob job) {
        Semaphore inFlight = new Semaphore(2 * config.imports().parallelism());
        try {
            for (StoredObject object : store.list(job.prefix)) {
                // Already ingested objects and ingest's own bookkeeping are never imported again.
                if (object.key().startsWith(ObjectKeys.RAW_PREFIX) || object.key().startsWith(ObjectKeys.INGEST_PREFIX)) {
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
            finish(job, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(job, "interrupted: the service is shutting down; POST /imports again with the same prefix");
        } catch (RuntimeException e) {
            finish(job, "listing " + job.prefix + " failed: " + e.getMessage());
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

    /** The pod name on Kubernetes (HOSTNAME), so a stale status says which replica stopped. */
    private static String replicaName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) return host;
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }
}
