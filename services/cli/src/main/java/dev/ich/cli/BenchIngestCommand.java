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
 * beside the raw S3 PUT rate of the same bytes with the same parallelism (the ceiling ingest works under).
 */
@Command(name = "ingest", description = "MB/s and instances/s of STOW uploads to the running stack, beside raw S3 PUTs of the same bytes.")
final class BenchIngestCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--studies", defaultValue = "8", description = "Phantom studies to send (default: ${DEFAULT-VALUE}).")
    int studies;

    @Option(names = "--parallel", defaultValue = "4", description = "Requests in flight (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--batch", defaultValue = "16", description = "Instances per STOW request (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws Exception {
        StackLayout layout = StackLayout.fromSystem();
        Map<String, String> env = new LocalStack(layout, System.err).readStackEnv();
        if (!env.containsKey("INGEST_URL")) {
            System.err.println("bench ingest: the local stack with ingest is not running; start it with ./ich up");
            return 2;
        }
        Path work = Files.createTempDirectory("ich-bench-ingest");
        // A new seed each run: the same phantoms twice would only measure de-duplication.
        PhantomSet set = new PhantomGenerator(PhantomOptions.of(studies, System.nanoTime())).generate(work);
        List<Path> files = set.slices().stream().map(SliceTruth::file).toList();
        long bytes = 0;
        for (Path f : files) bytes += Files.size(f);

        ObjectStore store = new ObjectStore(new StorageSettings(env.get("S3_ENDPOINT"), env.get("S3_ACCESS_KEY"),
                env.get("S3_SECRET_KEY"), env.get("S3_BUCKET")));
        double rawSeconds = rawPuts(store, files, "bench/" + work.getFileName() + "/");
        Sender.Report report = new Sender(env.get("INGEST_URL"), Credentials.forStack(env, "ich-uploader"), parallel, batch, work.resolve("journal")).send(files, System.err);
        if (report.failed() > 0 || report.error() != null) {
            System.out.println(report.summary());
            return 1;
        }
        double mb = bytes / 1e6;
        System.out.printf("instances: %d  MB: %.1f  parallel: %d  batch: %d%n", files.size(), mb, parallel, batch);
        System.out.printf("raw S3 PUT:  %7.1f MB/s  %7.1f instances/s%n", mb / rawSeconds, files.size() / rawSeconds);
        System.out.printf("STOW ingest: %7.1f MB/s  %7.1f instances/s  (%.0f %% of raw PUT)%n", mb / report.seconds(),
                files.size() / report.seconds(), 100 * rawSeconds / report.seconds());
        for (Path f : files) Files.deleteIfExists(f);
        return 0;
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
