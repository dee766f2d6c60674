package dev.ich.trainer;

import dev.ich.core.event.DatasetPublished;
import dev.ich.core.metric.Spread;
import dev.ich.core.training.JobSpec;
import dev.ich.core.training.Optimizer;
import dev.ich.core.training.Schedule;
import dev.ich.core.training.Task;
import dev.ich.model.EpochResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Why the demo's fine-tune from the baseline does not beat the baseline (issue 21): on one phantom dataset and split per
 * seed, the baseline from scratch, then arms that each change one thing of the demo's recipe (rates, freezing, or
 * the compute instead spent on a longer run from scratch), every arm scored on the same held-out patients. Prints one
 * row per seed and arm, then each arm's mean ± sd and its paired difference to the baseline, beside the binomial
 * spread of an accuracy on that many validation slices (docs/training.md, "Fine-tune or train longer").
 */
@Command(name = "finetune", description = {"Fine-tuning the baseline against training it longer, on phantoms: per seed, the baseline "
        + "from scratch, the demo's fine-tune from it (1 frozen + 1 unfrozen epoch at lr/100..lr/10), the same at full rate, the same "
        + "without the frozen epoch, and a longer run from scratch; prints each arm's mean and deviation over the seeds."})
final class FineTuneExperiment implements Callable<Integer> {
    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", description = "Seeds of phantoms, split and training (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--studies", defaultValue = "60", description = "Phantom studies, one patient each (default: ${DEFAULT-VALUE}, the demo's).")
    int studies;

    @Option(names = "--size", defaultValue = "64", description = "Cleaned image side in pixels (default: ${DEFAULT-VALUE}; the demo trains at 128).")
    int size;

    @Option(names = "--epochs", defaultValue = "4", description = "The baseline's epochs (default: ${DEFAULT-VALUE}, the demo's).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.013", description = "The baseline's one-cycle peak, SGD (default: ${DEFAULT-VALUE}, "
            + "what the demo's finder picks).")
    double lr;

    @Option(names = "--max-batches", description = "A budget of batches per epoch (a smoke run).")
    Integer maxBatches;

    @Option(names = "--out", paramLabel = "DIR", description = "Where datasets/, jobs/ and models/ go (default: a new temporary folder).")
    Path out;

    /** One arm: how a job's spec differs from the baseline's; {@code fromBaseline} starts it from the baseline model. */
    record Arm(String name, boolean fromBaseline, int freezeEpochs, int epochs, double lrMin, double lrMax) {
    }

    List<Arm> arms() {
        return List.of(
                new Arm("baseline (scratch, " + epochs + " epochs)", false, 0, epochs, lr, lr),
                new Arm("demo fine-tune: +1 frozen +1 unfrozen, lr/100..lr/10", true, 1, 2, lr / 100, lr / 10),
                new Arm("+2 unfrozen, lr/100..lr/10 (no frozen epoch)", true, 0, 2, lr / 100, lr / 10),
                new Arm("+1 frozen +1 unfrozen at the full rate lr", true, 1, 2, lr, lr),
                new Arm("scratch, " + (epochs + 2) + " epochs (the same compute)", false, 0, epochs + 2, lr, lr));
    }

    @Override
    public Integer call() throws Exception {
        Path root = out != null ? out : Files.createTempDirectory("ich-finetune");
        Blobs blobs = Blobs.directory(root.toAbsolutePath());
        List<Arm> arms = arms();
        Map<Arm, List<EpochResult>> results = new LinkedHashMap<>();
        arms.forEach(a -> results.put(a, new ArrayList<>()));
        int validSlices = 0;
        System.out.println("| seed | arm | valid accuracy | valid AUC | valid loss |");
        System.out.println("| ---: | --- | ---: | ---: | ---: |");
        for (long seed : seeds) {
            DatasetPublished dataset = PhantomDataset.build(blobs, root.resolve("scratch-" + seed), studies, size, 32, 0.3, seed, Task.ANY,
                    new PrintStream(new ByteArrayOutputStream()));
            validSlices = dataset.counts().getOrDefault("valid", Map.of()).getOrDefault("slices", 0L).intValue();
            String baselineModel = null;
            for (int i = 0; i < arms.size(); i++) {
                Arm arm = arms.get(i);
                JobSpec.Builder spec = JobSpec.builder().setId("finetune-" + seed + "-" + i).setDataset(dataset.id()).optTask(Task.ANY)
                        .optOptimizer(Optimizer.SGD).optSchedule(Schedule.ONE_CYCLE).optSeed(seed).optEpochs(arm.epochs())
                        .optFreezeEpochs(arm.freezeEpochs()).optLr(arm.lrMax()).optLrMin(arm.lrMin()).optLrMax(arm.lrMax())
                        .optMaxBatches(maxBatches).optModelName("finetune-" + seed + "-" + i);
                if (arm.fromBaseline()) spec.optPretrained(baselineModel);
                TrainingJob.Outcome outcome;
                try (EventSink quiet = EventSink.console(new PrintStream(new ByteArrayOutputStream()))) {
                    outcome = new TrainingJob(spec.build(), blobs, quiet, root.resolve("work")).run();
                }
                if (i == 0) baselineModel = "model:" + outcome.modelKey().replaceAll("^models/|/$", "");
                EpochResult last = outcome.last();
                results.get(arm).add(last);
                System.out.printf(Locale.ROOT, "| %d | %s | %.3f | %.3f | %.3f |%n", seed, arm.name(), last.accuracy(), auc(last),
                        last.validLoss());
            }
        }
        System.out.println();
        System.out.println(summary(arms, results, validSlices));
        return 0;
    }

    private static double auc(EpochResult r) {
        return r.auc().values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Each arm's mean ± sd over the seeds, and its paired difference to the baseline of the same seed. */
    static String summary(List<Arm> arms, Map<Arm, List<EpochResult>> results, int validSlices) {
        StringBuilder b = new StringBuilder("| arm | accuracy, mean ± sd | AUC, mean ± sd | accuracy − baseline's (paired), mean ± sd |\n"
                + "| --- | ---: | ---: | ---: |\n");
        List<EpochResult> base = results.get(arms.get(0));
        for (Arm arm : arms) {
            List<EpochResult> r = results.get(arm);
            double[] acc = r.stream().mapToDouble(EpochResult::accuracy).toArray();
            double[] aucs = r.stream().mapToDouble(FineTuneExperiment::auc).toArray();
            double[] diff = new double[r.size()];
            for (int i = 0; i < diff.length; i++) diff[i] = r.get(i).accuracy() - base.get(i).accuracy();
            Spread a = Spread.of(acc), u = Spread.of(aucs), d = Spread.of(diff);
            b.append(String.format(Locale.ROOT, "| %s | %.3f ± %.3f | %.3f ± %.3f | %s |%n", arm.name(), a.mean(), a.sd(), u.mean(), u.sd(),
                    arm == arms.get(0) ? "-" : String.format(Locale.ROOT, "%+.3f ± %.3f", d.mean(), d.sd())));
        }
        double p = Spread.of(base.stream().mapToDouble(EpochResult::accuracy).toArray()).mean();
        b.append(String.format(Locale.ROOT, "%nOne accuracy of %.2f on %d validation slices has a binomial sd of %.3f.", p, validSlices,
                Math.sqrt(p * (1 - p) / Math.max(1, validSlices))));
        return b.toString();
    }
}
