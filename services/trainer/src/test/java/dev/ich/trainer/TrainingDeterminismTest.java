package dev.ich.trainer;

import dev.ich.core.event.DatasetPublished;
import dev.ich.core.training.JobSpec;
import dev.ich.core.training.Optimizer;
import dev.ich.core.training.Task;
import dev.ich.model.EpochResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Same spec, same seed, same numbers: README's figures are only worth quoting if a second run gives them again. Two jobs
 * with one spec (augmentation, dropout, shuffled batches, one-cycle: everything random the trainer has) must end with
 * identical validation figures and identical weights, both from scratch and when fine-tuning a registry model; the jobs
 * run back to back in one JVM, so a random source that is not reseeded per job (libtorch's generator drives dropout)
 * shows up as a difference.
 */
class TrainingDeterminismTest {
    private static Blobs blobs;
    private static DatasetPublished dataset;

    @BeforeAll
    static void dataset(@TempDir Path dir) throws Exception {
        blobs = Blobs.directory(dir.resolve("bucket"));
        dataset = PhantomDataset.build(blobs, dir.resolve("scratch"), 6, 32, 12, 0.3, 11, Task.ANY, new PrintStream(new ByteArrayOutputStream()));
    }

    private static JobSpec.Builder spec(String id, String modelName) {
        return JobSpec.builder().setId(id).setDataset(dataset.id()).optEpochs(2).optLr(0.05).optOptimizer(Optimizer.SGD).optBatchSize(8)
                .optSeed(3L).optWorkers(2).optMaxBatches(3).optModelName(modelName);
    }

    private static TrainingJob.Outcome run(JobSpec spec, Path work) {
        return new TrainingJob(spec, blobs, EventSink.console(new PrintStream(new ByteArrayOutputStream())), work.resolve(spec.id())).run();
    }

    private static void assertSameRun(TrainingJob.Outcome first, TrainingJob.Outcome second) throws Exception {
        List<EpochResult> a = first.epochs(), b = second.epochs();
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).trainLoss()).as("epoch %d train loss", i + 1).isEqualTo(a.get(i).trainLoss());
            assertThat(b.get(i).validLoss()).as("epoch %d valid loss", i + 1).isEqualTo(a.get(i).validLoss());
            assertThat(b.get(i).accuracy()).as("epoch %d accuracy", i + 1).isEqualTo(a.get(i).accuracy());
            assertThat(b.get(i).auc()).as("epoch %d AUC", i + 1).isEqualTo(a.get(i).auc());
        }
        for (String key : blobs.list(first.modelKey() + "weights/")) {
            String same = second.modelKey() + "weights/" + key.substring((first.modelKey() + "weights/").length());
            assertThat(blobs.get(same)).as("the weights in " + key).isEqualTo(blobs.get(key));
        }
    }

    @Test
    void twoRunsOfOneSpecFromScratchEndWithTheSameFiguresAndWeights(@TempDir Path work) throws Exception {
        TrainingJob.Outcome first = run(spec("scratch-a", "determinism-scratch").build(), work);
        TrainingJob.Outcome second = run(spec("scratch-b", "determinism-scratch").build(), work);
        assertThat(second.modelKey()).isNotEqualTo(first.modelKey());
        assertSameRun(first, second);
    }

    @Test
    void twoFineTunesOfOneRegistryModelEndWithTheSameFiguresAndWeights(@TempDir Path work) throws Exception {
        TrainingJob.Outcome base = run(spec("base", "determinism-base").optEpochs(1).build(), work);
        String source = "model:" + base.modelKey().replaceAll("^models/|/$", "");
        JobSpec.Builder tune = spec("tune-a", "determinism-tuned").optPretrained(source).optFreezeEpochs(1).optLrMin(5e-4).optLrMax(5e-3);
        TrainingJob.Outcome first = run(tune.build(), work);
        TrainingJob.Outcome second = run(tune.setId("tune-b").build(), work);
        assertSameRun(first, second);
    }
}
