package dev.ich.core.phantom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Generates synthetic head-CT studies with known truth, deterministic for a seed: the same options
 * give byte-identical files on any number of threads, because each study and slice draws from its own
 * random stream ({@link java.util.SplittableRandom} seeded from seed, study and slice).
 */
public final class PhantomGenerator {
    private final PhantomOptions options;
    private final List<StudyPlan> plans;

    public PhantomGenerator(PhantomOptions options) {
        this.options = options;
        this.plans = Cohort.plan(options);
    }

    public PhantomOptions options() {
        return options;
    }

    /** Renders one slice in memory (nothing written): intended HU plus labels and skull box. */
    public PhantomImage render(int study, int slice) {
        StudyPlan plan = plans.get(study);
        if (slice < 0 || slice >= options.slicesPerStudy())
            throw new IndexOutOfBoundsException("slice " + slice + " of " + options.slicesPerStudy());
        SplittableRandom rng = new SplittableRandom(Seeds.of(options.seed(), study, slice));
        return new Section(plan.head(), plan.depth(slice), plan.bleeds()).render(plan.size(), plan.pixelMm(), plan.fovMarked(), rng);
    }

    /** The quirks study {@code study} is written with (slice-specific ones such as a short PixelData excluded). */
    public Set<Quirk> quirks(int study) {
        Set<Quirk> q = EnumSet.noneOf(Quirk.class);
        q.addAll(plans.get(study).quirks());
        return q;
    }

    public PhantomSet generate(Path outDir) throws IOException {
        return generate(outDir, slice -> { });
    }

    /**
     * Writes {@code <outDir>/study-NNN/<SOPInstanceUID>.dcm} for every slice and {@code <outDir>/labels.csv}.
     * Studies run in parallel, one per core; {@code onSlice} is called from those threads as slices are written.
     */
    public PhantomSet generate(Path outDir, Consumer<SliceTruth> onSlice) throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(outDir);
        // Twice the cores: while one thread waits for the disk, another renders.
        int threads = Math.max(1, Math.min(2 * Runtime.getRuntime().availableProcessors(), plans.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "phantoms");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<SliceTruth>>> studies = new ArrayList<>();
            for (StudyPlan plan : plans) studies.add(pool.submit(() -> writeStudy(outDir, plan, onSlice)));
            List<SliceTruth> slices = new ArrayList<>(plans.size() * options.slicesPerStudy());
            for (Future<List<SliceTruth>> f : studies) slices.addAll(f.get());
            Path labels = LabelsCsv.write(outDir, slices);
            return new PhantomSet(outDir, labels, List.copyOf(slices), Duration.ofNanos(System.nanoTime() - start));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            throw new IllegalStateException("phantom generation failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating phantoms", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private List<SliceTruth> writeStudy(Path outDir, StudyPlan plan, Consumer<SliceTruth> onSlice) {
        try {
            Path folder = Files.createDirectories(outDir.resolve(plan.folder()));
            List<SliceTruth> truths = new ArrayList<>(options.slicesPerStudy());
            for (int k = 0; k < options.slicesPerStudy(); k++) {
                PhantomImage image = render(plan.index(), k);
                String sop = plan.sopUid(k);
                Path file = folder.resolve(sop + ".dcm");
                SliceFile.write(file, plan, k, image.hu());
                Set<Quirk> quirks = EnumSet.noneOf(Quirk.class);
                quirks.addAll(plan.quirks());
                if (k == plan.shortSlice()) quirks.add(Quirk.SHORT_PIXEL_DATA);
                SliceTruth truth = new SliceTruth(sliceId(sop), sop, plan.studyUid(), plan.seriesUid(), plan.patientId(),
                        plan.index(), k, Collections.unmodifiableSet(image.labels()), Collections.unmodifiableSet(quirks), file, image.rows(), image.columns(),
                        image.skullBox(), image.brainWindowFraction());
                truths.add(truth);
                onSlice.accept(truth);
            }
            return truths;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The id labels.csv uses for a slice: {@code ID_} + SOPInstanceUID, so labels join on the UID itself. */
    public static String sliceId(String sopInstanceUid) {
        return sopInstanceUid.startsWith("ID_") ? sopInstanceUid : "ID_" + sopInstanceUid;
    }
}
