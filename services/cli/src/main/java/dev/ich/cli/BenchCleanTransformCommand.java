package dev.ich.cli;

import dev.ich.core.clean.CleanedSlice;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * `ich bench clean`: slices per second through the whole transform (read from disk, decode, fix,
 * statistics, crop, resize, channels, PNG encode), after a warm-up round so the JIT has compiled it.
 */
@Command(name = "clean", description = "Slices/s of the core cleaning transform over the DICOM files under PATH.")
final class BenchCleanTransformCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "DICOM files or folders.")
    List<Path> paths;

    @Option(names = "--threads", description = "Worker threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--rounds", description = "Timed passes over the files (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int rounds;

    @Option(names = "--reference", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run the Python reference (bench/python/clean_reference.py, one thread) on the same files"
                    + " and print the ratio; needs python3 with pydicom, numpy, scipy and PIL (default: ${DEFAULT-VALUE}).")
    boolean reference;

    @Option(names = "--reference-files", defaultValue = "320",
            description = "Files given to the Python reference, the first of PATH's (default: ${DEFAULT-VALUE}; it runs ~30 slices/s).")
    int referenceFiles;

    @Mixin
    PipelineOptions pipelineOptions;

    /** PNGs of the last pass, for the decode comparison (the trainer decodes every sample of every epoch). */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> pngs = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile boolean keepPngs;
    private final AtomicInteger keptPngs = new AtomicInteger();

    private final LongAdder read = new LongAdder(), fix = new LongAdder(), mask = new LongAdder(),
            channels = new LongAdder(), png = new LongAdder();
    private final LongAdder kept = new LongAdder(), dropped = new LongAdder(), errors = new LongAdder();

    @Override
    public Integer call() throws Exception {
        List<Path> files = DicomInputs.expand(paths);
        if (files.isEmpty()) {
            System.err.println("bench clean: no DICOM files under " + paths + " (try ./ich phantoms --out DIR first)");
            return 2;
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, threads);
        CleaningPipeline pipeline = pipelineOptions.pipeline();
        DicomReader reader = DicomReader.create();

        System.err.printf("bench clean: warming up on %d files%n", files.size());
        pass(files, workers, reader, pipeline);
        reset();
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            keepPngs = r == rounds - 1;
            pass(files, workers, reader, pipeline);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long slices = (long) files.size() * rounds;
        double rate = slices / seconds;

        System.out.printf("slices: %d (%d kept, %d dropped, %d errors)  threads: %d  seconds: %.2f%n",
                slices, kept.sum(), dropped.sum(), errors.sum(), workers, seconds);
        System.out.printf("slices/s: %.1f  per core: %.1f%n", rate, rate / Math.min(workers, Runtime.getRuntime().availableProcessors()));
        double total = read.sum() + fix.sum() + mask.sum() + channels.sum() + png.sum();
        printShare("read+decode", read.sum(), total, slices);
        printShare("fix+stats", fix.sum(), total, slices);
        printShare("mask+crop", mask.sum(), total, slices);
        printShare("resize+channels", channels.sum(), total, slices);
        printShare("png", png.sum(), total, slices);
        PngDecodeBench.print(List.copyOf(pngs));
        if (reference) {
            double perCore = rate / Math.min(workers, Runtime.getRuntime().availableProcessors());
            PythonCleanReference.run(files.subList(0, Math.min(referenceFiles, files.size())), perCore);
        }
        return 0;
    }

    private void pass(List<Path> files, int workers, DicomReader reader, CleaningPipeline pipeline) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < workers; t++) {
            Thread worker = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < files.size(); ) one(files.get(i), reader, pipeline);
            }, "bench-" + t);
            worker.start();
            threads.add(worker);
        }
        for (Thread t : threads) t.join();
    }

    private void one(Path file, DicomReader reader, CleaningPipeline pipeline) {
        long t0 = System.nanoTime();
        try {
            var slice = reader.read(Files.readAllBytes(file), file.toString());
            read.add(System.nanoTime() - t0);
            CleanedSlice c = pipeline.clean(slice);
            fix.add(c.timings().fixAndStatistics());
            mask.add(c.timings().maskAndCrop());
            channels.add(c.timings().resizeAndChannels());
            png.add(c.timings().png());
            if (keepPngs && c.kept() && keptPngs.getAndIncrement() < PngDecodeBench.IMAGES) pngs.add(c.png());
            (c.kept() ? kept : dropped).increment();
        } catch (DicomReadException e) {
            errors.increment();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void reset() {
        for (LongAdder a : List.of(read, fix, mask, channels, png, kept, dropped, errors)) a.reset();
    }

    private static void printShare(String stage, long nanos, double total, long slices) {
        System.out.printf("  %-16s %6.1f %%  %7.3f ms/slice%n", stage, 100 * nanos / total, nanos / 1e6 / slices);
    }
}
