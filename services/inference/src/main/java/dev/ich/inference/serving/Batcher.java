package dev.ich.inference.serving;

import dev.ich.model.Classifier;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching over a pool of predictors, fair between requests. Each request ({@link #request()}: a study, an
 * OIP call, a single {@code /predict}) queues its images in its own sub-queue; each predictor has one thread that
 * fills a batch by taking one image from each waiting request in turn (round robin, the turn order kept from batch to
 * batch), gathers more until the batch is full or its first image has waited {@code maxWait}, runs one forward pass
 * and completes every image's future. So a single image that arrives behind a 400-slice study rides in the next batch
 * instead of after all 400, while a request alone still fills whole batches. Request threads only wait on futures: the
 * model never runs on a thread per request, and a busy pool batches more (the queues fill while it computes).
 * <p>
 * Back-pressure: at most {@code queueCapacity} images wait in all. When they are full, a new image is refused
 * ({@link Overloaded}, the caller's 503) unless another request holds more images than the newcomer's request would:
 * then that request's newest waiting image is refused instead and the newcomer's is queued (longest queue drop). A
 * large request thus cannot take the whole queue from small ones, and alone it may still use all of it.
 */
public final class Batcher implements AutoCloseable {
    /** What one image got: its probabilities (K, in the model's label order) and where its time went. */
    public record Output(float[] probabilities, long queueNanos, long modelNanos, int batchSize) {
    }

    /** Called after every forward pass (metrics). */
    public interface Listener {
        void batch(int size, long modelNanos, long[] queueNanos);
    }

    private record Pending(float[] image, long enqueued, CompletableFuture<Output> result) {
    }

    /** One request's images, answered in the order they were submitted; shares batches fairly with other requests. */
    public final class Request {
        private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

        private Request() {
        }

        /**
         * Queues one image (C x H x W floats); the future completes with the image's output, or fails with
         * {@link Overloaded} when the queues are full and this request holds the most.
         */
        public CompletableFuture<Output> submit(float[] image) {
            return enqueue(this, image);
        }
    }

    private final List<Classifier> predictors;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int capacity;
    private final int imageFloats;
    private final int outputs;
    private final Listener listener;
    private final List<Thread> threads = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /** Requests with images waiting, in turn order: the head gives the next image. Guarded by {@link #lock}. */
    private final ArrayDeque<Request> turns = new ArrayDeque<>();
    /** Images waiting in all requests. Guarded by {@link #lock}. */
    private int waiting;
    private volatile boolean closed;

    public Batcher(String name, List<Classifier> predictors, int maxBatch, Duration maxWait, int queueCapacity, Listener listener) {
        if (predictors.isEmpty()) throw new IllegalArgumentException("a batcher needs at least one predictor");
        if (maxBatch < 1) throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatch);
        this.predictors = List.copyOf(predictors);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.capacity = Math.max(1, queueCapacity);
        var spec = predictors.get(0).spec();
        this.imageFloats = spec.channels() * spec.imageSize() * spec.imageSize();
        this.outputs = spec.task().outputs();
        this.listener = listener;
        for (int i = 0; i < this.predictors.size(); i++) {
            Classifier predictor = this.predictors.get(i);
            Thread t = new Thread(() -> run(predictor), "predictor-" + name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** A new request: the images of one study or call go through one, so that they share batches fairly with others. */
    public Request request() {
        return new Request();
    }

    /** Queues one image as a request of its own (a single-slice call). */
    public CompletableFuture<Output> submit(float[] image) {
        return request().submit(image);
    }

    /** The queues are full: the caller should answer 503 and let the client retry. */
    public static final class Overloaded extends RuntimeException {
        Overloaded(String message) {
            super(message);
        }
    }

    private CompletableFuture<Output> enqueue(Request request, float[] image) {
        if (image.length != imageFloats) throw new IllegalArgumentException("an image holds " + imageFloats + " floats, got " + image.length);
        CompletableFuture<Output> result = new CompletableFuture<>();
        Pending pushedOut = null;
        int full = 0;
        lock.lock();
        try {
            if (closed) {
                result.completeExceptionally(new IllegalStateException("this model version is closed"));
                return result;
            }
            if (waiting >= capacity) {
                Request longest = null;
                for (Request r : turns) if (longest == null || r.waiting.size() > longest.waiting.size()) longest = r;
                // Push out only when that leaves the holder at least as many as the newcomer then has: no ping-pong.
                if (longest == null || longest == request || longest.waiting.size() <= request.waiting.size() + 1) {
                    result.completeExceptionally(new Overloaded(waiting + " images are already waiting for the model: retry in a moment"));
                    return result;
                }
                pushedOut = longest.waiting.pollLast();
                waiting--;
                full = waiting + 1;
                if (longest.waiting.isEmpty()) turns.remove(longest);
            }
            request.waiting.addLast(new Pending(image, System.nanoTime(), result));
            waiting++;
            if (request.waiting.size() == 1) turns.addLast(request);
            arrived.signal();
        } finally {
            lock.unlock();
        }
        // Outside the lock: the refused image's dependants (its request's handling) run on this thread.
        if (pushedOut != null) {
            pushedOut.result().completeExceptionally(new Overloaded(full + " images are waiting for the model and this request holds the"
                    + " most of them: retry in a moment"));
        }
        return result;
    }

    /** Moves images into {@code batch}, one from each waiting request in turn, until it is full or nothing waits. */
    private void take(List<Pending> batch) {
        while (batch.size() < maxBatch && !turns.isEmpty()) {
            Request r = turns.pollFirst();
            batch.add(r.waiting.pollFirst());
            waiting--;
            if (!r.waiting.isEmpty()) turns.addLast(r);
        }
    }

    private void run(Classifier predictor) {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (true) {
            try {
                lock.lock();
                try {
                    while (waiting == 0) {
                        if (closed) return;
                        arrived.await(100, TimeUnit.MILLISECONDS);
                    }
                    take(batch);
                    // Take whatever is already waiting at once; wait for more only until the first image's deadline.
                    long deadline = batch.get(0).enqueued() + maxWaitNanos;
                    while (batch.size() < maxBatch) {
                        if (waiting > 0) {
                            take(batch);
                            continue;
                        }
                        long left = deadline - System.nanoTime();
                        if (left <= 0 || closed) break;
                        arrived.awaitNanos(left);
                    }
                } finally {
                    lock.unlock();
                }
                forward(predictor, batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.forEach(p -> p.result().completeExceptionally(e));
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void forward(Classifier predictor, List<Pending> batch) {
        int n = batch.size();
        long started = System.nanoTime();
        try {
            float[] images = new float[n * imageFloats];
            for (int i = 0; i < n; i++) System.arraycopy(batch.get(i).image(), 0, images, i * imageFloats, imageFloats);
            float[] p = predictor.probabilities(images, n);
            long model = System.nanoTime() - started;
            long[] queued = new long[n];
            for (int i = 0; i < n; i++) queued[i] = started - batch.get(i).enqueued();
            if (listener != null) listener.batch(n, model, queued);
            for (int i = 0; i < n; i++) {
                float[] own = java.util.Arrays.copyOfRange(p, i * outputs, (i + 1) * outputs);
                batch.get(i).result().complete(new Output(own, queued[i], model, n));
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(x -> x.result().completeExceptionally(e));
        }
    }

    /** Stops taking images; images already queued are still answered, then the predictor threads end. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Pending> left = new ArrayList<>();
        lock.lock();
        try {
            for (Request r : turns) left.addAll(r.waiting);
            turns.clear();
            waiting = 0;
        } finally {
            lock.unlock();
        }
        left.forEach(p -> p.result().completeExceptionally(new IllegalStateException("this model version is closed")));
        predictors.forEach(Classifier::close);
    }
}
