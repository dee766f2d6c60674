package dev.ich.inference.serving;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The threads that read and clean slices before their forward pass, a fixed few for all requests together, so that
 * under load preprocessing takes at most those cores from the predictors instead of one per request thread (at 16
 * clients, 16 slices decoding at once). Fair as the {@link Batcher} is: each request queues its slices in its own
 * queue and the threads take one slice from each waiting request in turn, so a single {@code /predict} behind a
 * 400-slice study waits for one slice of it, not for all 400.
 */
public final class PreprocessingPool implements AutoCloseable {
    /** One request's slices, preprocessed in the order they were given. */
    public final class Request {
        private final ArrayDeque<Runnable> jobs = new ArrayDeque<>();

        private Request() {
        }

        /** Runs {@code work} on a pool thread in this request's turn; the future fails with what it throws. */
        public <T> CompletableFuture<T> supply(Supplier<T> work) {
            CompletableFuture<T> result = new CompletableFuture<>();
            Runnable job = () -> {
                try {
                    result.complete(work.get());
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            };
            lock.lock();
            try {
                if (closed) {
                    result.completeExceptionally(new IllegalStateException("the service is stopping"));
                    return result;
                }
                jobs.addLast(job);
                if (jobs.size() == 1) turns.addLast(this);
                ready.signal();
            } finally {
                lock.unlock();
            }
            return result;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    /** Requests with slices waiting, in turn order. Guarded by {@link #lock}. */
    private final ArrayDeque<Request> turns = new ArrayDeque<>();
    private final List<Thread> threads = new ArrayList<>();
    private boolean closed;

    public PreprocessingPool(int size) {
        if (size < 1) throw new IllegalArgumentException("a preprocessing pool needs at least one thread, got " + size);
        for (int i = 0; i < size; i++) {
            Thread t = new Thread(this::run, "preprocess-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    public int size() {
        return threads.size();
    }

    public Request request() {
        return new Request();
    }

    private void run() {
        while (true) {
            Runnable job;
            lock.lock();
            try {
                while (turns.isEmpty()) {
                    if (closed) return;
                    ready.awaitUninterruptibly();
                }
                Request r = turns.pollFirst();
                job = r.jobs.pollFirst();
                if (!r.jobs.isEmpty()) turns.addLast(r);
            } finally {
                lock.unlock();
            }
            job.run();
        }
    }

    /** Slices already queued are still preprocessed; then the threads end. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
