package dev.ich.cli.send;

import dev.ich.cli.auth.Credentials;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends files to ingest in STOW-RS batches, several requests in flight, and journals what the
 * destination holds. Headers are read locally first: that names each file's SOP Instance UID (to
 * match the answer to the file) and keeps files that are not DICOM from travelling at all.
 */
public final class Sender {
    private static final long MAX_REQUEST_BYTES = 32L * 1024 * 1024;

    private final String destination;
    private final Credentials credentials;
    private final int parallel;
    private final int batchSize;
    private final Path journalDir;
    private final DicomReader reader = DicomReader.create();

    public Sender(String destination, Credentials credentials, int parallel, int batchSize, Path journalDir) {
        this.destination = destination;
        this.credentials = credentials;
        this.parallel = parallel;
        this.batchSize = batchSize;
        this.journalDir = journalDir;
    }

    /** The outcome of a run; {@code error} is set when the run stopped early (destination unreachable). */
    public record Report(int files, int skipped, long stored, long duplicate, long failed, Map<String, Long> failures,
                         long bytes, double seconds, String error) {
        public String summary() {
            StringBuilder s = new StringBuilder(String.format(
                    "%d files: stored %d, duplicate %d, failed %d, skipped %d (sent before); %.1f MB in %.1f s (%.1f MB/s)",
                    files, stored, duplicate, failed, skipped, bytes / 1e6, seconds, seconds > 0 ? bytes / 1e6 / seconds : 0));
            failures.forEach((reason, n) -> s.append(String.format("%n  %d failed: %s", n, reason)));
            if (error != null) s.append(String.format("%nstopped: %s", error));
            return s.toString();
        }
    }

    private record Item(Path file, String sop, byte[] bytes) {
    }

    public Report send(List<Path> files, PrintStream progressOut) throws IOException, InterruptedException {
        long start = System.nanoTime();
        AtomicLong stored = new AtomicLong(), duplicate = new AtomicLong(), failed = new AtomicLong(), bytes = new AtomicLong();
        Map<String, Long> failures = new LinkedHashMap<>();
        AtomicReference<String> error = new AtomicReference<>();
        int skipped = 0;
        try (SendJournal journal = new SendJournal(journalDir, destination);
             ProgressBar bar = new ProgressBarBuilder().setTaskName("send").setInitialMax(files.size())
                     .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(progressOut))
                     .setUnit(" files", 1).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            List<Future<?>> inFlight = new ArrayList<>();
            List<Item> batch = new ArrayList<>();
            long batchBytes = 0;
            StowClient client = new StowClient(destination, credentials);
            for (Path f : files) {
                if (error.get() != null) break;
                if (journal.contains(f)) {
                    skipped++;
                    bar.step();
                    continue;
                }
                byte[] b;
                String sop;
                try {
                    b = Files.readAllBytes(f);
                    sop = reader.readHeader(b, f.toString()).sopInstanceUid();
                } catch (DicomReadException | IOException e) {
                    fail(failures, failed, f + " is not sendable: " + (e instanceof DicomReadException d ? d.problem() + ": " + d.reason() : e.getMessage()));
                    bar.step();
                    continue;
                }
                if (!batch.isEmpty() && (batch.size() >= batchSize || batchBytes + b.length > MAX_REQUEST_BYTES)) {
                    inFlight.add(submit(pool, client, List.copyOf(batch), journal, bar, stored, duplicate, failed, bytes, failures, error));
                    batch.clear();
                    batchBytes = 0;
                    inFlight.removeIf(Future::isDone);
                    while (inFlight.size() >= parallel * 2) awaitOne(inFlight);
                }
                batch.add(new Item(f, sop, b));
                batchBytes += b.length;
            }
            if (!batch.isEmpty() && error.get() == null) {
                inFlight.add(submit(pool, client, List.copyOf(batch), journal, bar, stored, duplicate, failed, bytes, failures, error));
            }
            for (Future<?> f : inFlight) await(f);
            pool.shutdown();
            journal.flush();
        }
        return new Report(files.size(), skipped, stored.get(), duplicate.get(), failed.get(), failures, bytes.get(),
                (System.nanoTime() - start) / 1e9, error.get());
    }

    private Future<?> submit(ExecutorService pool, StowClient client, List<Item> batch, SendJournal journal, ProgressBar bar,
                             AtomicLong stored, AtomicLong duplicate, AtomicLong failed, AtomicLong bytes,
                             Map<String, Long> failures, AtomicReference<String> error) {
        return pool.submit(() -> {
            if (error.get() != null) return null;
            List<byte[]> payload = batch.stream().map(Item::bytes).toList();
            try {
                Map<String, StowClient.InstanceResult> results = client.store(payload);
                for (Item item : batch) {
                    StowClient.InstanceResult r = results.get(item.sop());
                    if (r == null) {
                        fail(failures, failed, "ingest did not mention this instance in its answer");
                    } else if (r.outcome() == StowClient.Outcome.FAILED) {
                        fail(failures, failed, r.reason());
                    } else {
                        (r.outcome() == StowClient.Outcome.DUPLICATE ? duplicate : stored).incrementAndGet();
                        journal.record(item.file());
                        bytes.addAndGet(item.bytes().length);
                    }
                    bar.step();
                }
            } catch (StowClient.StowException e) {
                if (e.getMessage().contains("not reachable")) {
                    error.compareAndSet(null, e.getMessage());
                } else {
                    for (Item item : batch) fail(failures, failed, e.getMessage());
                }
                bar.stepBy(batch.size());
            }
            return null;
        });
    }

    private static void fail(Map<String, Long> failures, AtomicLong failed, String reason) {
        failed.incrementAndGet();
        synchronized (failures) {
            failures.merge(reason, 1L, Long::sum);
        }
    }

    private static void awaitOne(List<Future<?>> inFlight) throws InterruptedException {
        await(inFlight.remove(0));
    }

    private static void await(Future<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a send worker failed", e.getCause());
        }
    }
}
