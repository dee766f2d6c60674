package dev.ich.ingest.imports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bulk import's progress, updated by worker threads and read by GET /imports/{id}. {@code seen}
 * counts objects listed so far; {@code total} is known once the listing is complete, so progress is
 * a fraction of what is known (and 1.0 at the end). The replica running it also checkpoints its
 * {@link Status} to the bucket (Imports), which is how the other replicas answer for it.
 */
final class ImportJob {
    /** {@code interrupted}: the replica running it stopped before it finished (only ever read back from the bucket). */
    enum State { running, completed, failed, interrupted }

    /** What GET /imports/{id} returns, and what the bucket keeps under ingest/imports/{id}.json. */
    record Status(String id, String bucket, String prefix, State state, long seen, long stored, long duplicate,
                  long failed, double progress, List<Failure> failures, Instant startedAt, Instant finishedAt,
                  String error, String replica, Instant updatedAt) {

        /** A running status whose replica stopped checkpointing: what a caller should make of it. */
        Status interrupted() {
            return new Status(id, bucket, prefix, State.interrupted, seen, stored, duplicate, failed, progress, failures,
                    startedAt, null, "the ingest replica " + replica + " running this import stopped reporting at " + updatedAt
                    + " (restarted or gone); POST /imports again with prefix \"" + prefix
                    + "\": what was already stored comes back as duplicates", replica, updatedAt);
        }
    }

    record Failure(String key, String reason) {
    }

    final String id;
    final String bucket;
    final String prefix;
    final String replica;
    final Instant startedAt = Instant.now();
    final AtomicLong seen = new AtomicLong();
    final AtomicLong stored = new AtomicLong();
    final AtomicLong duplicate = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    private final int maxListedFailures;
    private final List<Failure> failures = new ArrayList<>();
    private volatile boolean listed;
    private volatile State state = State.running;
    private volatile Instant finishedAt;
    private volatile String error;

    ImportJob(String id, String bucket, String prefix, String replica, int maxListedFailures) {
        this.id = id;
        this.bucket = bucket;
        this.prefix = prefix;
        this.replica = replica;
        this.maxListedFailures = maxListedFailures;
    }

    void fail(String key, String reason) {
        failed.incrementAndGet();
        synchronized (failures) {
            if (failures.size() < maxListedFailures) failures.add(new Failure(key, reason));
        }
    }

    void listingDone() {
        listed = true;
    }

    boolean running() {
        return state == State.running;
    }

    void finish(String fatal) {
        error = fatal;
        finishedAt = Instant.now();
        state = fatal == null ? State.completed : State.failed;
    }

    Status status() {
        long done = stored.get() + duplicate.get() + failed.get();
        long known = seen.get();
        double progress = state != State.running ? 1.0 : known == 0 ? 0.0 : (listed ? 1.0 : 0.99) * done / known;
        List<Failure> listedFailures;
        synchronized (failures) {
            listedFailures = List.copyOf(failures);
        }
        return new Status(id, bucket, prefix, state, known, stored.get(), duplicate.get(), failed.get(), progress,
                listedFailures, startedAt, finishedAt, error, replica, Instant.now());
    }
}
