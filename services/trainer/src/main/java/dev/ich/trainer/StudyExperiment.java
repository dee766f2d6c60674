package dev.ich.trainer;

import dev.ich.core.dataset.DatasetSample;
import dev.ich.core.dataset.ShardReader;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.training.JobKind;
import dev.ich.core.training.JobSpec;
import dev.ich.model.Predictions;
import dev.ich.model.StudyScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Issue 21's comparison on phantoms: on one phantom cohort with one patient split (every slice of every study, not
 * balanced: a study is scored on all its slices), (a) a slice model, study score = max over slices; (b) the same with
 * one neighbour each side as channels (2.5D); (c) a study head on (b)'s frozen features. Prints study- and slice-level
 * AUC of any and the RSNA weighted log loss of each, on the same validation studies.
 */
@Command(name = "study", description = {"Slice max vs 2.5D vs 2.5D + study head on one phantom dataset and one patient split: "
        + "prints study-level and slice-level AUC (any) and RSNA weighted log loss of each (docs/training.md, \"Study level\")."})
final class StudyExperiment implements Callable<Integer> {
    static final String SLICE_MAX = "slice max (2D)";
    static final String CONTEXT_MAX = "2.5D, slice max";
    static final String CONTEXT_HEAD = "2.5D + study head";

    @Option(names = "--studies", defaultValue = "40", description = "Phantom studies, one patient each (default: ${DEFAULT-VALUE}).")
    int studies;

    @Option(names = "--slices-per-study", defaultValue = "24", description = "Slices per study (default: ${DEFAULT-VALUE}).")
    int slicesPerStudy;

    @Option(names = "--size", defaultValue = "64", description = "Cleaned image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--positive-rate", defaultValue = "0.3", description = "Share of bleeding slices the phantoms aim at (default: ${DEFAULT-VALUE}).")
    double positiveRate;

    @Option(names = "--head-epochs", defaultValue = "20", description = "Epochs of the study head, one study a step (default: ${DEFAULT-VALUE}).")
    int headEpochs;

    @Option(names = "--head-lr", defaultValue = "1e-3", description = "The study head's AdamW rate (default: ${DEFAULT-VALUE}).")
    double headLr;

    @Mixin
    HyperParameters hyper;

    @Option(names = "--out", paramLabel = "DIR", description = "Where datasets/, jobs/ and models/ go (default: a new temporary folder).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path root = out != null ? out : Files.createTempDirectory("ich-study");
        Blobs blobs = Blobs.directory(root.toAbsolutePath());
        PrintStream log = System.out;
        long started = System.nanoTime();
        DatasetPublished single = PhantomDataset.build(blobs, root.resolve("scratch-0"), studies, size, slicesPerStudy, positiveRate, hyper.seed,
                hyper.task, 0, false, "v1", log);
        DatasetPublished context = PhantomDataset.build(blobs, root.resolve("scratch-1"), studies, size, slicesPerStudy, positiveRate, hyper.seed,
                hyper.task, 1, false, "v2", log);
        Map<String, String> studyOf = studyOf(blobs, single);
        if (!studyOf.equals(studyOf(blobs, context))) {
            throw new IllegalStateException("the two datasets hold different validation slices: the comparison needs one split");
        }
        String tag = hyper.task.json() + "-" + hyper.seed;
        try (EventSink events = EventSink.console(log)) {
            Path work = root.resolve("scratch-work");
            TrainingJob.Outcome a = new TrainingJob(hyper.spec.setId("study-2d-" + tag).setDataset(single.id()).optModelName("study-2d-" + tag)
                    .build(), blobs, events, work.resolve("a")).run();
            TrainingJob.Outcome b = new TrainingJob(hyper.spec.setId("study-25d-" + tag).setDataset(context.id()).optModelName("study-25d-" + tag)
                    .build(), blobs, events, work.resolve("b")).run();
            JobSpec headSpec = hyper.spec.setId("study-head-" + tag).setDataset(context.id()).optKind(JobKind.STUDY_HEAD).optTask(null)
                    .optEpochs(headEpochs).optLr(headLr).optModelName("study-head-" + tag)
                    .optSourceModel("model:study-25d-" + tag + "/" + Artefacts.versionOf(b.modelKey())).build();
            TrainingJob.Outcome c = new TrainingJob(headSpec, blobs, events, work.resolve("c")).run();
            List<StudyScores> rows = rows(a.validation(), b.validation(), c.studyLevel().get(1), studyOf);
            log.println();
            log.printf("study level on %d validation studies (%s, seed %d, %d px, %d slices a study, %.1f min):%n", rows.get(0).studies(),
                    hyper.task.json(), hyper.seed, size, slicesPerStudy, (System.nanoTime() - started) / 60e9);
            log.print(StudyScores.table(rows));
            log.println("artefacts: " + root);
            return 0;
        } catch (RuntimeException e) {
            System.err.println("experiment: failed: " + e.getMessage());
            return 1;
        }
    }

    /** The table's three rows: both slice models scored by max over slices, and the head as its job scored it. */
    static List<StudyScores> rows(Predictions single, Predictions context, StudyScores head, Map<String, String> studyOf) {
        if (!new HashSet<>(single.uids()).equals(new HashSet<>(context.uids()))) {
            throw new IllegalArgumentException("the 2D and 2.5D models were validated on different slices");
        }
        StudyScores h = new StudyScores(CONTEXT_HEAD, head.sliceAuc(), head.studyAuc(), head.sliceWeightedLogLoss(), head.studyWeightedLogLoss(),
                head.slices(), head.studies());
        return List.of(StudyScores.of(SLICE_MAX, single, StudyScores.maxOverSlices(single, studyOf)),
                StudyScores.of(CONTEXT_MAX, context, StudyScores.maxOverSlices(context, studyOf)), h);
    }

    /** Validation slice uid to its study, from the shards. */
    private static Map<String, String> studyOf(Blobs blobs, DatasetPublished dataset) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : dataset.shards().get("valid")) {
            for (DatasetSample s : ShardReader.readAll(new ByteArrayInputStream(blobs.get(key)), key)) out.put(s.uid(), s.place().study());
        }
        return out;
    }
}
