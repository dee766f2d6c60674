package dev.ich.inference.serving;

import dev.ich.model.Classifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Dynamic batching over a pool of predictors: requests put single images on one queue; each predictor has one
 * thread that takes the first waiting image, gathers more until the batch is full or the first one has waited
 * {@code maxWait}, runs one forward pass and completes every image's future. Request threads only wait on futures:
 * the model never runs on a thread per request, and a busy pool batches more (the queue fills while it computes).
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

    private final List<Classifier> predictors;
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int imageFloats;
    private final int outputs;
    private final Listener listener;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    public Batcher(String name, List<Classifier> predictors, int maxBatch, Duration maxWait, int queueCapacity, Listener listener) {
        if (predictors.isEmpty()) throw new IllegalArgumentException("a batcher needs at least one predictor");
        if (maxBatch < 1) throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatch);
        this.predictors = List.copyOf(predictors);
        this.queue = new ArrayBlockingQueue<>(Math.max(1, queueCapacity));
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
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

    /**
     * Queues one image (C x H x W floats); the future fails with {@link Overloaded} when the queue is full, or
     * completes with the image's output.
     */
    public CompletableFuture<Output> submit(float[] image) {
        if (image.length != imageFloats) throw new IllegalArgumentException("an image holds " + imageFloats + " floats, got " + image.length);
        CompletableFuture<Output> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("this model version is closed"));
        } else if (!queue.offer(new Pending(image, System.nanoTime(), result))) {
            result.completeExceptionally(new Overloaded(queue.size()));
        }
        return result;
    }

    /** The queue is full: the caller should answer 503 and let the client retry. */
    public static final class Overloaded extends RuntimeException {
        Overloaded(int waiting) {
            super(waiting + " images are already waiting for the model: retry in a moment");
        }
    }

    private void run(Classifier predictor) {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                long deadline = first.enqueued() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    // Take whatever is already waiting at once; wait for more only until the first image's deadline.
                    Pending next = queue.poll();
                    if (next == null) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) break;
                        next = queue.poll(left, TimeUnit.NANOSECONDS);
                        if (next == null) break;
                    }
                    batch.add(next);
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
        closed = true;
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Pending left; (left = queue.poll()) != null; ) left.result().completeExceptionally(new IllegalStateException("this model version is closed"));
        predictors.forEach(Classifier::close);
    }
}
