package dev.ich.cleaning;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** One background re-clean of every raw slice, counted as it goes; what GET /reprocess/{id} shows. */
public final class ReprocessRun {
    public enum State { listing, running, completed, failed }

    private final String id;
    private final String version;
    private final AtomicReference<State> state = new AtomicReference<>(State.listing);
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger kept = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private volatile String failure;

    ReprocessRun(String id, String version) {
        this.id = id;
        this.version = version;
    }

    void listed(int slices) {
        total.set(slices);
        state.set(State.running);
    }

    /** errors counts slices that could not be decoded and slices that could not be processed at all. */
    void finished(boolean wasKept, boolean wasError) {
        (wasError ? errors : wasKept ? kept : dropped).incrementAndGet();
        done.incrementAndGet();
    }

    void completed() {
        state.set(State.completed);
    }

    void failed(String reason) {
        failure = reason;
        state.set(State.failed);
    }

    public String id() {
        return id;
    }

    public Progress progress() {
        return new Progress(id, state.get(), total.get(), done.get(), kept.get(), dropped.get(), errors.get(), version, failure);
    }

    /** The JSON of GET /reprocess/{id}. */
    public record Progress(String id, State state, int total, int done, int kept, int dropped, int errors, String version,
                           String failure) {
    }
}
