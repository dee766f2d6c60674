package dev.ich.trainer;

import dev.ich.core.augment.Augmenter;
import dev.ich.core.augment.PlanarImage;
import dev.ich.core.dataset.DatasetSample;
import dev.ich.core.dataset.ShardReader;
import dev.ich.core.label.Label;
import dev.ich.core.training.Task;
import dev.ich.model.Batch;
import dev.ich.model.BatchSource;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One split of a dataset version as batches: shards are fetched once into a local cache and read in
 * order (shuffled per epoch for training); PNG decoding and augmentation run on a pool of workers a few
 * batches ahead of the model, so the model does not wait on them. Deterministic for a seed and an
 * epoch: a resumed job sees the same batches it would have seen.
 */
final class ShardBatchSource implements BatchSource, AutoCloseable {
    private static final int PREFETCH = 4;

    private final List<String> shards;
    private final Blobs blobs;
    private final Path cache;
    private final Task task;
    private final int batchSize;
    private final int samples;
    private final Augmenter augmenter;
    private final long seed;
    private final Integer maxBatches;
    private final ExecutorService workers;
    private final boolean shuffle;
    private volatile int channels = -1, height = -1, width = -1;

    /**
     * @param augmenter null for validation: no augmentation, no shuffling
     * @param samples   the split's size (from dataset.json), for {@link #batches()}
     */
    ShardBatchSource(List<String> shards, int samples, Blobs blobs, Path cache, Task task, int batchSize, Augmenter augmenter,
                     long seed, Integer maxBatches, int workers) {
        this.shards = List.copyOf(shards);
        this.samples = samples;
        this.blobs = blobs;
        this.cache = cache;
        this.task = task;
        this.batchSize = batchSize;
        this.augmenter = augmenter;
        this.shuffle = augmenter != null;
        this.seed = seed;
        this.maxBatches = maxBatches;
        this.workers = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
            Thread t = new Thread(r, "batch-decoder");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public int batches() {
        int all = (samples + batchSize - 1) / batchSize;
        if (dropsLoneLastSample(samples % batchSize)) all--;
        return maxBatches == null ? all : Math.min(all, maxBatches);
    }

    @Override
    public Iterator<Batch> epoch(int epoch) {
        BlockingQueue<Future<Batch>> ahead = new ArrayBlockingQueue<>(PREFETCH);
        Future<Batch> end = CompletableFuture.completedFuture(null);
        Thread reader = new Thread(() -> read(epoch, ahead, end), "shard-reader");
        reader.setDaemon(true);
        reader.start();
        return new Iterator<>() {
            private Batch next = take();

            private Batch take() {
                try {
                    return ahead.take().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a batch", e);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException r) throw r;
                    throw new IllegalStateException("cannot prepare a batch: " + c, c);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Batch next() {
                if (next == null) throw new NoSuchElementException();
                Batch current = next;
                next = take();
                return current;
            }
        };
    }

    /**
     * Whether a training epoch leaves out a last batch of {@code remainder} samples: one image cannot train batch norm
     * (its per-channel variance is zero; libtorch refuses the step), so a training split of k x batch + 1 samples
     * trains on k batches. The epochs are shuffled, so it is another sample each epoch; validation keeps every sample.
     */
    private boolean dropsLoneLastSample(int remainder) {
        return shuffle && remainder == 1 && samples > 1;
    }

    /** Reads shards in (shuffled) order and queues decode tasks; a failure travels to the consumer as a failed batch. */
    private void read(int epoch, BlockingQueue<Future<Batch>> ahead, Future<Batch> end) {
        try {
            List<String> order = new ArrayList<>(shards);
            Random random = new Random(seed * 31 + epoch);
            if (shuffle) Collections.shuffle(order, random);
            List<DatasetSample> pending = new ArrayList<>();
            int queued = 0;
            for (String shard : order) {
                List<DatasetSample> inShard;
                try (InputStream in = new BufferedInputStream(Files.newInputStream(cached(shard)))) {
                    inShard = new ArrayList<>(ShardReader.readAll(in, shard));
                }
                if (inShard.isEmpty()) {
                    throw new IllegalStateException("shard " + shard + " holds no samples (not a tar of <uid>.json and <uid>.png pairs?)");
                }
                if (shuffle) Collections.shuffle(inShard, random);
                pending.addAll(inShard);
                while (pending.size() >= batchSize) {
                    if (maxBatches != null && queued >= maxBatches) break;
                    List<DatasetSample> batch = new ArrayList<>(pending.subList(0, batchSize));
                    pending.subList(0, batchSize).clear();
                    ahead.put(workers.submit(() -> decode(batch, epoch)));
                    queued++;
                }
                if (maxBatches != null && queued >= maxBatches) break;
            }
            if (!pending.isEmpty() && !dropsLoneLastSample(pending.size()) && (maxBatches == null || queued < maxBatches)) {
                List<DatasetSample> batch = List.copyOf(pending);
                ahead.put(workers.submit(() -> decode(batch, epoch)));
            }
            ahead.put(end);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            try {
                ahead.put(CompletableFuture.failedFuture(e));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The shard's local copy, fetched once (a cache folder survives restarts of the same job). */
    private Path cached(String key) throws IOException {
        Path file = cache.resolve(key.replace('/', '_'));
        if (!Files.exists(file)) {
            Files.createDirectories(cache);
            Path part = Files.createTempFile(cache, "fetch", ".part");
            Files.write(part, blobs.get(key));
            Files.move(part, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }

    private Batch decode(List<DatasetSample> batch, int epoch) {
        List<String> uids = new ArrayList<>(batch.size());
        float[] images = null;
        float[] targets = new float[batch.size() * task.outputs()];
        for (int i = 0; i < batch.size(); i++) {
            DatasetSample s = batch.get(i);
            PlanarImage img = PlanarImage.fromPng(s.png());
            if (augmenter != null) {
                // per sample and epoch: the same augmentation whatever thread decodes it
                img = augmenter.apply(img, new SplittableRandom(seed ^ ((long) epoch << 32) ^ s.uid().hashCode())).image();
            }
            if (images == null) {
                checkShape(img, s.uid());
                images = new float[batch.size() * img.channels() * img.height() * img.width()];
            } else if (img.channels() != channels || img.height() != height || img.width() != width) {
                throw new IllegalStateException("slice " + s.uid() + " is " + img.channels() + "x" + img.height() + "x" + img.width()
                        + ", the others " + channels + "x" + height + "x" + width + ": one dataset must come from one pipeline");
            }
            float[] data = img.data();
            System.arraycopy(data, 0, images, i * data.length, data.length);
            List<Label> labels = task.labels();
            for (int k = 0; k < labels.size(); k++) targets[i * labels.size() + k] = s.label(labels.get(k));
            uids.add(s.uid());
        }
        return new Batch(uids, images, targets, channels, height, width);
    }

    private synchronized void checkShape(PlanarImage img, String uid) {
        if (channels < 0) {
            channels = img.channels();
            height = img.height();
            width = img.width();
        } else if (img.channels() != channels || img.height() != height || img.width() != width) {
            throw new IllegalStateException("slice " + uid + " is " + img.channels() + "x" + img.height() + "x" + img.width()
                    + ", the others " + channels + "x" + height + "x" + width + ": one dataset must come from one pipeline");
        }
    }

    /** The first sample's shape, reading one shard if no batch was decoded yet: {channels, height, width}. */
    int[] shape() {
        if (channels < 0) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(cached(shards.get(0))))) {
                DatasetSample first = new ShardReader(in, shards.get(0)).next();
                checkShape(PlanarImage.fromPng(first.png()), first.uid());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new int[] {channels, height, width};
    }

    /** The samples of the given uids, in shard order; reads shards only until all are found (the report's heatmaps). */
    List<DatasetSample> samples(java.util.Set<String> uids) {
        List<DatasetSample> out = new ArrayList<>();
        for (String shard : shards) {
            if (out.size() >= uids.size()) break;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(cached(shard)))) {
                for (DatasetSample s : ShardReader.readAll(in, shard)) if (uids.contains(s.uid())) out.add(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Every sample's subgroup metadata by uid (the report's and model.json's metrics by subgroup). */
    java.util.Map<String, java.util.Map<String, String>> metadata() {
        java.util.Map<String, java.util.Map<String, String>> out = new java.util.HashMap<>();
        for (String shard : shards) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(cached(shard)))) {
                for (DatasetSample s : ShardReader.readAll(in, shard)) out.put(s.uid(), s.metadata());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** The split's first {@code n} samples in shard order (the results grid shows them). */
    List<DatasetSample> firstSamples(int n) {
        List<DatasetSample> out = new ArrayList<>();
        for (String shard : shards) {
            if (out.size() >= n) break;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(cached(shard)))) {
                for (DatasetSample s : ShardReader.readAll(in, shard)) {
                    if (out.size() >= n) break;
                    out.add(s);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
