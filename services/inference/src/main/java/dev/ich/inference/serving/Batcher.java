package dev.ich.inference.serving;

import dev.ich.model.Calibration;
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
 * Adaptive to the load ({@link Cores}): a predictor takes no more than its share of what waits while other predictors
 * are free (a request's images are split across them, each pass on one thread), and starts at once instead of
 * waiting for company another free predictor would take anyway; a pass that is the only work and cannot be split
 * (one image), with nothing waiting and the machine's cores free, runs on every core ({@link Cores#idleThreads()} intra-op threads) while the other
 * predictors hold back their passes until it ends. Under load every pass runs on {@link Cores#busyThreads()}.
 * <p>
 * Back-pressure: at most {@code queueCapacity} images wait in all. When they are full, a new image is refused
 * ({@link Overloaded}, the caller's 503) unless another request holds more images than the newcomer's request would:
 * then that request's newest waiting image is refused instead and the newcomer's is queued (longest queue drop). A
 * large request thus cannot take the whole queue from small ones, and alone it may still use all of it.
 */
public final class Batcher implements AutoCloseable {
    /** What one image got: its probabilities (K, in the model's label order), where its time went, and its pass's threads. */
    public record Output(float[] probabilities, long queueNanos, long modelNanos, int batchSize, int threads) {
    }

    /** Called after every forward pass (metrics). */
    public interface Listener {
        void batch(int size, long modelNanos, long[] queueNanos, int threads);
    }

    /**
     * The cores a pass may use: {@code busyThreads} when it shares them, {@code idleThreads} when it is the only work
     * and {@code free} says the machine's cores are not taken by other processes.
     */
    public record Cores(int busyThreads, int idleThreads, java.util.function.BooleanSupplier free) {
        public Cores {
            if (busyThreads < 1 || idleThreads < 1) throw new IllegalArgumentException("threads must be at least 1");
        }

        /** One thread a pass, whatever the load: the layout before the pool adapted (and the benchmarks' raw one). */
        public static Cores fixed(int threads) {
            return new Cores(threads, threads, () -> false);
        }
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
            return enqueue(this, List.of(image)).get(0);
        }

        /** Queues several images at once: predictors see them together, so an idle pool splits them between its predictors. */
        public List<CompletableFuture<Output>> submitAll(List<float[]> images) {
            return enqueue(this, images);
        }
    }

    private final List<Classifier> predictors;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int capacity;
    private final int imageFloats;
    private final int outputs;
    /** Per output, or null: see the constructor. */
    private final double[] temperatures;
    private final Listener listener;
    private final Cores cores;
    private final List<Thread> threads = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /** Signalled when a pass ends: a predictor holds its pass back while a pass on every core runs. */
    private final Condition passEnded = lock.newCondition();
    /** Requests with images waiting, in turn order: the head gives the next image. Guarded by {@link #lock}. */
    private final ArrayDeque<Request> turns = new ArrayDeque<>();
    /** Images waiting in all requests. Guarded by {@link #lock}. */
    private int waiting;
    /** Predictors in a forward pass, images held by predictors still filling a batch, and whether a pass uses every core. */
    private int computing, held;
    private boolean idlePassRunning;
    private volatile boolean closed;

    public Batcher(String name, List<Classifier> predictors, int maxBatch, Duration maxWait, int queueCapacity, Listener listener) {
        this(name, predictors, maxBatch, maxWait, queueCapacity, Cores.fixed(1), listener);
    }

    public Batcher(String name, List<Classifier> predictors, int maxBatch, Duration maxWait, int queueCapacity, Cores cores, Listener listener) {
        this(name, predictors, maxBatch, maxWait, queueCapacity, cores, listener, null);
    }

    /**
     * {@code temperatures}: the model's calibration, one per output (model.json's {@code calibration.temperature}); every
     * pass's probabilities become {@code sigmoid(logit(p) / T)} before any {@link Output} carries them. Null: the
     * network's probabilities as they are (a model without calibration).
     */
    public Batcher(String name, List<Classifier> predictors, int maxBatch, Duration maxWait, int queueCapacity, Cores cores, Listener listener,
                   double[] temperatures) {
        if (predictors.isEmpty()) throw new IllegalArgumentException("a batcher needs at least one predictor");
        if (maxBatch < 1) throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatch);
        this.predictors = List.copyOf(predictors);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.capacity = Math.max(1, queueCapacity);
        var spec = predictors.get(0).spec();
        this.imageFloats = spec.channels() * spec.imageSize() * spec.imageSize();
        this.outputs = spec.task().outputs();
        if (temperatures != null && temperatures.length != outputs) {
            throw new IllegalArgumentException(temperatures.length + " temperatures for " + outputs + " outputs");
        }
        this.temperatures = temperatures == null ? null : temperatures.clone();
        this.listener = listener;
        this.cores = cores;
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

    private List<CompletableFuture<Output>> enqueue(Request request, List<float[]> images) {
        for (float[] image : images) {
            if (image.length != imageFloats) throw new IllegalArgumentException("an image holds " + imageFloats + " floats, got " + image.length);
        }
        List<CompletableFuture<Output>> results = new ArrayList<>(images.size());
        List<Pending> pushedOut = new ArrayList<>();
        List<CompletableFuture<Output>> refused = new ArrayList<>();
        int full = 0;
        lock.lock();
        try {
            for (float[] image : images) {
                CompletableFuture<Output> result = new CompletableFuture<>();
                results.add(result);
                if (closed) {
                    result.completeExceptionally(new IllegalStateException("this model version is closed"));
                    continue;
                }
                if (waiting >= capacity) {
                    Request longest = null;
                    for (Request r : turns) if (longest == null || r.waiting.size() > longest.waiting.size()) longest = r;
                    // Push out only when that leaves the holder at least as many as the newcomer then has: no ping-pong.
                    if (longest == null || longest == request || longest.waiting.size() <= request.waiting.size() + 1) {
                        refused.add(result);
                        full = waiting;
                        continue;
                    }
                    pushedOut.add(longest.waiting.pollLast());
                    waiting--;
                    full = waiting + 1;
                    if (longest.waiting.isEmpty()) turns.remove(longest);
                }
                request.waiting.addLast(new Pending(image, System.nanoTime(), result));
                waiting++;
                if (request.waiting.size() == 1) turns.addLast(request);
            }
            // Every predictor looks: with several free, each takes its share.
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        // Outside the lock: the refused images' dependants (their requests' handling) run on this thread.
        for (CompletableFuture<Output> r : refused) {
            r.completeExceptionally(new Overloaded(full + " images are already waiting for the model: retry in a moment"));
        }
        for (Pending p : pushedOut) {
            p.result().completeExceptionally(new Overloaded(full + " images are waiting for the model and this request holds the"
                    + " most of them: retry in a moment"));
        }
        return results;
    }

    /** Moves images into {@code batch}, one from each waiting request in turn, until it holds {@code limit} or nothing waits. */
    private void take(List<Pending> batch, int limit) {
        while (batch.size() < limit && !turns.isEmpty()) {
            Request r = turns.pollFirst();
            batch.add(r.waiting.pollFirst());
            waiting--;
            held++;
            if (!r.waiting.isEmpty()) turns.addLast(r);
        }
    }

    /** The most a predictor filling a batch takes: all of a full batch when it is the only free one, else its share. */
    private int share() {
        int free = predictors.size() - computing;
        return Math.min(maxBatch, Math.max(1, (waiting + held + free - 1) / free));
    }

    private void run(Classifier predictor) {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (true) {
            int threads = 0;
            try {
                lock.lock();
                try {
                    while (waiting == 0) {
                        if (closed) return;
                        arrived.await(100, TimeUnit.MILLISECONDS);
                    }
                    take(batch, share());
                    // Take whatever is already waiting at once (up to the share); wait for more only until the first image's
                    // deadline, and only when no other predictor is free to take what comes.
                    long deadline = batch.get(0).enqueued() + maxWaitNanos;
                    while (batch.size() < maxBatch && predictors.size() - computing == 1) {
                        if (waiting > 0) {
                            take(batch, maxBatch);
                            continue;
                        }
                        long left = deadline - System.nanoTime();
                        if (left <= 0 || closed) break;
                        arrived.awaitNanos(left);
                    }
                    threads = startPass(batch.size());
                } finally {
                    lock.unlock();
                }
                TorchThreads.use(threads);
                forward(predictor, batch, threads);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.forEach(p -> p.result().completeExceptionally(e));
                return;
            } finally {
                if (!batch.isEmpty()) endPass(batch.size(), threads);
                batch.clear();
            }
        }
    }

    /**
     * Under the lock: the threads of the pass about to run. Every core when it is the only work (nothing computing,
     * filling or waiting), cannot be split (one image, or one predictor: several images on several free predictors
     * are split instead, which needs no OpenMP barrier) and the machine's cores are free; otherwise waits until no
     * pass on every core runs.
     */
    private int startPass(int size) throws InterruptedException {
        boolean alone = computing == 0 && held == size && waiting == 0 && (size == 1 || predictors.size() == 1);
        int threads = cores.busyThreads();
        if (alone && idlePass(cores.idleThreads()) && cores.free().getAsBoolean()) {
            threads = cores.idleThreads();
            idlePassRunning = true;
        } else {
            while (idlePassRunning) passEnded.await();
        }
        held -= size;
        computing++;
        // Images left for others: wake the free predictors to take them.
        if (waiting > 0) arrived.signalAll();
        return threads;
    }

    private boolean idlePass(int threads) {
        return threads > cores.busyThreads();
    }

    /** {@code threads} 0: the pass never started (its images are still counted as held). */
    private void endPass(int size, int threads) {
        lock.lock();
        try {
            if (threads == 0) {
                held -= size;
                return;
            }
            computing--;
            // Nothing else computes while a pass on every core runs: the pass ending is that one.
            if (idlePass(threads)) idlePassRunning = false;
            passEnded.signalAll();
            if (waiting > 0) arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void forward(Classifier predictor, List<Pending> batch, int threads) {
        int n = batch.size();
        long started = System.nanoTime();
        try {
            float[] images = new float[n * imageFloats];
            for (int i = 0; i < n; i++) System.arraycopy(batch.get(i).image(), 0, images, i * imageFloats, imageFloats);
            float[] p = predictor.probabilities(images, n);
            if (temperatures != null) p = Calibration.applyRows(p, temperatures);
            long model = System.nanoTime() - started;
            long[] queued = new long[n];
            for (int i = 0; i < n; i++) queued[i] = started - batch.get(i).enqueued();
            if (listener != null) listener.batch(n, model, queued, threads);
            for (int i = 0; i < n; i++) {
                float[] own = java.util.Arrays.copyOfRange(p, i * outputs, (i + 1) * outputs);
                batch.get(i).result().complete(new Output(own, queued[i], model, n, threads));
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
