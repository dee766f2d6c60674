package dev.ich.trainer;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import dev.ich.core.training.InvalidJobSpecException;
import dev.ich.core.training.JobKind;
import dev.ich.core.training.JobSpec;
import dev.ich.model.EpochResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The trainer's entry point: {@code run} is what a Kubernetes Job (or the training service's local launcher)
 * executes; {@code experiment baseline} reproduces the reference experiment's notebook 04 on phantoms on one machine.
 */
@Command(name = "ich-trainer", mixinStandardHelpOptions = true,
        subcommands = {TrainerMain.Run.class, TrainerMain.Experiment.class, BenchTrain.class})
public final class TrainerMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Natives come from the libtorch jar on the class path; nothing is ever downloaded at run time.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("java.awt.headless", "true");
        // libtorch's intra-op pool: one thread per core this process may use, inter-op work on one thread. Its
        // default oversubscribes a shared machine (25x slower steps measured on 2 busy cores, docs/training.md).
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        System.setProperty("ai.djl.pytorch.num_interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        System.exit(new CommandLine(new TrainerMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Environment of a job: ICH_STORAGE_*, KAFKA_BOOTSTRAP_SERVERS (optional), ICH_WORK_DIR. */
    @Command(name = "run", description = {"Run one training job from its JSON spec (a file, or an object key with --spec-key).",
            "Exit status: 0 when the model (or the finder's result) is stored, 1 when the job failed (a failed event says why)."})
    static final class Run implements Callable<Integer> {
        @Option(names = "--spec", paramLabel = "FILE", description = "The job spec JSON file.")
        Path specFile;

        @Option(names = "--spec-key", paramLabel = "KEY", description = "The job spec in the bucket, e.g. jobs/<id>/spec.json.")
        String specKey;

        @Override
        public Integer call() throws Exception {
            Map<String, String> env = System.getenv();
            ObjectStore store = new ObjectStore(new StorageSettings(require(env, "ICH_STORAGE_ENDPOINT"), require(env, "ICH_STORAGE_ACCESS_KEY"),
                    require(env, "ICH_STORAGE_SECRET_KEY"), env.getOrDefault("ICH_STORAGE_BUCKET", "ich")));
            Blobs blobs = Blobs.of(store);
            if ((specFile == null) == (specKey == null)) throw new CommandLine.ParameterException(new CommandLine(this),
                    "give exactly one of --spec FILE and --spec-key KEY");
            byte[] json = specFile != null ? Files.readAllBytes(specFile) : blobs.get(specKey);
            JobSpec spec;
            try {
                spec = Events.JSON.readValue(json, JobSpec.class);
            } catch (JsonProcessingException e) {
                System.err.println("trainer: not a valid job spec: " + (e.getCause() instanceof InvalidJobSpecException invalid
                        ? invalid.getMessage() : e.getOriginalMessage()));
                return 1;
            }
            Path work = Path.of(env.getOrDefault("ICH_WORK_DIR", System.getProperty("java.io.tmpdir") + "/ich-trainer")).resolve(spec.id());
            String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
            try (EventSink events = bootstrap == null || bootstrap.isBlank() ? EventSink.console(System.err)
                    : EventSink.both(EventSink.console(System.err), EventSink.kafka(bootstrap, "/ich/trainer"))) {
                new TrainingJob(spec, blobs, events, work).run();
                return 0;
            } catch (RuntimeException e) {
                System.err.println("trainer: job failed: " + e.getMessage());
                return 1;
            }
        }

        private static String require(Map<String, String> env, String name) {
            String v = env.get(name);
            if (v == null || v.isBlank()) throw new IllegalStateException(name + " is not set: the trainer needs the object storage");
            return v;
        }
    }

    @Command(name = "experiment", description = "Reproduce the notebooks' experiments on phantoms.",
            subcommands = {Baseline.class, StudyExperiment.class, FineTuneExperiment.class})
    static final class Experiment implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }

    @Command(name = "baseline", description = {"Notebook 04 on phantoms: generate studies, clean them through the core, build a "
            + "patient-split dataset, train ResNet on CPU, print validation accuracy and AUC. Artefacts (plots, report.html, "
            + "the model) go to --out in the bucket's key layout."})
    static final class Baseline implements Callable<Integer> {
        @Option(names = "--studies", defaultValue = "120", description = "Phantom studies, one patient each (default: ${DEFAULT-VALUE}: "
                + "0.91-0.92 accuracy at 4 epochs; 60 studies give 0.84, docs/training.md).")
        int studies;

        @Option(names = "--slices-per-study", defaultValue = "32", description = "Slices per study (default: ${DEFAULT-VALUE}).")
        int slicesPerStudy;

        @Option(names = "--size", defaultValue = "128", description = "Cleaned image side in pixels (default: ${DEFAULT-VALUE}).")
        int size;

        @CommandLine.Mixin
        HyperParameters hyper;

        @Option(names = "--positive-rate", defaultValue = "0.3", description = "Share of bleeding slices the phantoms aim at, "
                + "0 to 0.5 (default: ${DEFAULT-VALUE}: twice the data after balancing; the real data's share is 1/7).")
        double positiveRate;

        @Option(names = "--out", paramLabel = "DIR", description = "Where datasets/, jobs/ and models/ go (default: a new temporary folder).")
        Path out;

        @Override
        public Integer call() throws Exception {
            Path root = out != null ? out : Files.createTempDirectory("ich-experiment");
            Files.createDirectories(root);
            Blobs blobs = Blobs.directory(root.toAbsolutePath());
            DatasetPublished dataset = PhantomDataset.build(blobs, root.resolve("scratch"), studies, size, slicesPerStudy, positiveRate,
                    hyper.seed, hyper.task, System.out);
            String id = "baseline-" + hyper.task.json() + "-" + hyper.seed + (hyper.kind == JobKind.LR_FIND ? "-lr-find" : "");
            JobSpec spec = hyper.spec.setId(id).setDataset(dataset.id()).build();
            try (EventSink events = EventSink.console(System.out)) {
                TrainingJob.Outcome outcome = new TrainingJob(spec, blobs, events, root.resolve("scratch").resolve("work")).run();
                if (outcome.finder() != null) {
                    System.out.printf(Locale.ROOT, "suggested lr: %.2e (steepest descent); one-cycle peak: %.2e (lowest loss)%n",
                            outcome.finder().steepest(), outcome.finder().lowest());
                } else {
                    EpochResult last = outcome.last();
                    System.out.printf(Locale.ROOT, "accuracy: %.4f%n", last.accuracy());
                    last.auc().forEach((label, auc) -> System.out.printf(Locale.ROOT, "auc %s: %.4f%n", label, auc));
                    System.out.printf(Locale.ROOT, "mean auc: %.4f%n", last.auc().values().stream().mapToDouble(Double::doubleValue)
                            .filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN));
                    if (last.weightedLogLoss() != null) System.out.printf(Locale.ROOT, "weighted log loss: %.4f%n", last.weightedLogLoss());
                    System.out.println("model: " + root.resolve(outcome.modelKey()));
                }
                System.out.println("report: " + root.resolve("jobs").resolve(id).resolve("report.html"));
                return 0;
            } catch (RuntimeException e) {
                System.err.println("experiment: failed: " + e.getMessage());
                return 1;
            }
        }
    }
}
