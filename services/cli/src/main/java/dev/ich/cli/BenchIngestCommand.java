package dev.ich.cli;

import dev.ich.cli.auth.Credentials;
import dev.ich.cli.send.Sender;
import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * `ich bench ingest`: STOW-RS upload rate of fresh phantom studies through the running local stack,
 * beside the raw S3 PUT rate of the same bytes with the same parallelism (the ceiling ingest works under), and the
 * ratio. It says whether cleaning runs (it consumes the same events and cores, so the figure differs), and the CPU
 * each component spent in each phase, which names what limits the figure on a small machine.
 */
@Command(name = "ingest", description = "MB/s and instances/s of STOW uploads to the running stack, beside raw S3 PUTs of the"
        + " same bytes, and the ratio; says whether cleaning runs (./ich down cleaning stops it) and the CPU each component spent.")
final class BenchIngestCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--studies", defaultValue = "8", description = "Phantom studies to send (default: ${DEFAULT-VALUE}).")
    int studies;

    @Option(names = "--parallel", defaultValue = "4", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--batch", defaultValue = "16", description = "Instances per STOW request (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup-studies", defaultValue = "1", description = "Studies sent both ways first, not counted, so"
            + " neither side is timed while its JIT and connections warm up (default: ${DEFAULT-VALUE}).")
    int warmupStudies;

    /** Below this many cores busy, the stack counts as settled (cleaning done with the previous run's backlog). */
    private static final double SETTLED_CORES = 0.25;
    private static final java.time.Duration SETTLE_LIMIT = java.time.Duration.ofSeconds(120);

    @Override
    public Integer call() throws Exception {
        StackLayout layout = StackLayout.fromSystem();
        LocalStack stack = new LocalStack(layout, System.err);
        Map<String, String> env = stack.readStackEnv();
        if (!env.containsKey("INGEST_URL")) {
            System.err.println("bench ingest: the local stack with ingest is not running; start it with ./ich up");
            return 2;
        }
        boolean cleaning = stack.process("cleaning").isPresent();
        Path work = Files.createTempDirectory("ich-bench-ingest");
        ObjectStore store = new ObjectStore(new StorageSettings(env.get("S3_ENDPOINT"), env.get("S3_ACCESS_KEY"),
                env.get("S3_SECRET_KEY"), env.get("S3_BUCKET")));
        Sender sender = new Sender(env.get("INGEST_URL"), Credentials.forStack(env, "ich-uploader"), parallel, batch, work.resolve("journal"));
        if (warmupStudies > 0) {
            List<Path> warm = phantoms(work.resolve("warmup"), warmupStudies);
            rawPuts(store, warm, "bench/" + work.getFileName() + "/warmup/");
            if (failed(sender.send(warm, System.err))) return 1;
            delete(warm);
        }
        List<Path> files = phantoms(work.resolve("measured"), studies);
        long bytes = 0;
        for (Path f : files) bytes += Files.size(f);
        settle(stack);

        String load = ComponentCpu.loadAverage();
        ComponentCpu rawCpu = ComponentCpu.start(stack);
        double rawSeconds = rawPuts(store, files, "bench/" + work.getFileName() + "/");
        String rawSpent = rawCpu.since();
        settle(stack);
        ComponentCpu stowCpu = ComponentCpu.start(stack);
        Sender.Report report = sender.send(files, System.err);
        String stowSpent = stowCpu.since();
        if (failed(report)) return 1;
        double mb = bytes / 1e6;
        System.out.printf("instances: %d  MB: %.1f  parallel: %d  batch: %d  load average: %s  cleaning: %s%n", files.size(), mb,
                parallel, batch, load, cleaning ? "running (consumes the events, on the same cores)" : "stopped");
        System.out.printf("raw S3 PUT:  %7.1f MB/s  %7.1f instances/s%n", mb / rawSeconds, files.size() / rawSeconds);
        System.out.printf("STOW ingest: %7.1f MB/s  %7.1f instances/s%n", mb / report.seconds(), files.size() / report.seconds());
        System.out.printf("ratio: %.2fx of raw PUT%n", rawSeconds / report.seconds());
        System.out.println("CPU during raw PUT: " + rawSpent);
        System.out.println("CPU during STOW:    " + stowSpent);
        delete(files);
        return 0;
    }

    /** Fresh phantoms, a new seed each call: the same ones twice would only measure de-duplication. */
    private static List<Path> phantoms(Path dir, int studies) throws Exception {
        Files.createDirectories(dir);
        PhantomSet set = new PhantomGenerator(PhantomOptions.of(studies, System.nanoTime())).generate(dir);
        return set.slices().stream().map(SliceTruth::file).toList();
    }

    private static boolean failed(Sender.Report report) {
        if (report.failed() == 0 && report.error() == null) return false;
        System.out.println(report.summary());
        return true;
    }

    private static void delete(List<Path> files) throws java.io.IOException {
        for (Path f : files) Files.deleteIfExists(f);
    }

    /**
     * Waits (at most {@link #SETTLE_LIMIT}) until the stack is nearly idle: cleaning still working through what the last
     * phase sent would otherwise be timed against the next one.
     */
    private static void settle(LocalStack stack) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            ComponentCpu window = ComponentCpu.start(stack);
            Thread.sleep(1000); // sampling other processes' CPU time: there is nothing to wait on instead
            if (window.coresBusy() < SETTLED_CORES) return;
        }
        System.err.println("bench ingest: the stack did not settle within " + SETTLE_LIMIT.toSeconds() + " s; measuring anyway");
    }

    private double rawPuts(ObjectStore store, List<Path> files, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (Path f : files) {
            done.add(pool.submit(() -> {
                store.put(prefix + f.getFileName(), Files.readAllBytes(f), "application/dicom", Map.of());
                return null;
            }));
        }
        for (Future<?> d : done) d.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        for (Path f : files) store.delete(prefix + f.getFileName());
        return seconds;
    }
}
