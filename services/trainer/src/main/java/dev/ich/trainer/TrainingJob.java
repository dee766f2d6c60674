package dev.ich.trainer;

import dev.ich.core.augment.Augmenter;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.event.TrainingEvent;
import dev.ich.core.training.JobKind;
import dev.ich.core.training.JobSpec;
import dev.ich.core.training.PretrainedSource;
import dev.ich.core.training.Task;
import dev.ich.model.Calibration;
import dev.ich.model.EpochResult;
import dev.ich.model.FitListener;
import dev.ich.model.FitPlan;
import dev.ich.model.Learner;
import dev.ich.model.LrFinderResult;
import dev.ich.model.ModelSpec;
import dev.ich.model.Predictions;
import dev.ich.model.StepProgress;
import dev.ich.model.SubgroupMetrics;
import dev.ich.model.TrainingReport;
import dev.ich.model.explain.GradCam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One job from spec to model: reads the dataset version, trains (or only runs the LR finder), reports
 * progress, checkpoints every epoch (a restarted job resumes after its last checkpoint), writes metrics,
 * plots and report.html under {@code jobs/<id>/}, and the model under {@code models/<name>/<version>/}.
 */
public final class TrainingJob {
    static final double PROGRESS_EVERY_SECONDS = 2.0;

    private final JobSpec spec;
    private final Blobs blobs;
    private final EventSink events;
    private final Path work;
    private final List<EpochResult> history = new ArrayList<>();
    private final List<Double> stepLosses = new ArrayList<>();

    /** What a finished job produced. */
    public record Outcome(JobSpec spec, List<EpochResult> epochs, LrFinderResult finder, String modelKey, Predictions validation) {
        public EpochResult last() {
            return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
        }
    }

    public TrainingJob(JobSpec spec, Blobs blobs, EventSink events, Path work) {
        this.spec = spec;
        this.blobs = blobs;
        this.events = events;
        this.work = work;
    }

    public JobSpec spec() {
        return spec;
    }

    /** Runs the job; on failure publishes {@code failed} with the reason and rethrows. */
    public Outcome run() {
        String prefix = ObjectKeys.job(spec.id());
        try {
            if (spec.kind() == JobKind.STUDY_HEAD) {
                // the sequence head over a slice model's features is another change's work; until it lands the kind is refused here
                throw new IllegalArgumentException("study-head jobs are not implemented by this trainer yet: submit train, lr-find or"
                        + " calibrate (docs/training-api.md, \"Job kinds\")");
            }
            blobs.put(prefix + "spec.json", Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec), "application/json");
            byte[] datasetJson = datasetJson();
            DatasetPublished dataset = Events.JSON.readValue(datasetJson, DatasetPublished.class);
            if (spec.kind() == JobKind.CALIBRATE) {
                Recalibration.Result r = new Recalibration(spec, blobs, events, work).run(dataset, datasetJson);
                return new Outcome(spec, List.of(), null, r.modelKey(), r.predictions());
            }
            Task task = spec.task() != null ? spec.task() : Task.parse(dataset.task());
            Path cache = work.resolve("shards");
            int trainSize = dataset.counts().getOrDefault("train", Map.of()).getOrDefault("slices", 0L).intValue();
            int validSize = dataset.counts().getOrDefault("valid", Map.of()).getOrDefault("slices", 0L).intValue();
            try (ShardBatchSource train = new ShardBatchSource(dataset.shards().getOrDefault("train", List.of()), trainSize, blobs, cache,
                    task, spec.batchSize(), spec.augment() ? new Augmenter(spec.augmentations()) : null, spec.seed(), spec.maxBatches(),
                    spec.workers());
                 ShardBatchSource valid = new ShardBatchSource(dataset.shards().getOrDefault("valid", List.of()), validSize, blobs, cache,
                         task, spec.batchSize(), null, spec.seed(), spec.maxBatches(), spec.workers())) {
                if (trainSize == 0 || validSize == 0) {
                    throw new IllegalArgumentException("dataset " + spec.dataset() + " has " + trainSize + " train and " + validSize
                            + " valid slices: both splits are needed");
                }
                int[] shape = train.shape();
                if (spec.imageSize() != null && spec.imageSize() != shape[1]) {
                    throw new IllegalArgumentException("imageSize " + spec.imageSize() + " but the dataset's images are " + shape[1]
                            + " px (pipeline " + dataset.pipeline() + "): omit imageSize or build a dataset at that size");
                }
                ModelSpec modelSpec = new ModelSpec(spec.architecture(), task, shape[0], shape[1], spec.dropout());
                events.send(event(TrainingEvent.STARTED, null, null, null, null, "dataset " + dataset.id() + ": " + trainSize + " train, "
                        + validSize + " valid slices, " + modelSpec.architecture().json() + " for " + task.json()));
                Resume resume = resume(prefix, modelSpec);
                try (Learner learner = resume.learner) {
                    LrFinderResult finder = null;
                    if (spec.kind() == JobKind.LR_FIND) {
                        // maxBatches is the finder's budget of steps (it repeats the data when it has fewer batches); without one, a pass.
                        int steps = spec.maxBatches() != null ? spec.maxBatches() : train.batches();
                        finder = learner.findLearningRate(train, 1e-7, 10, Math.min(100, Math.max(10, steps)),
                                FitPlan.of(spec).optimizer(), spec.weightDecay(), listener(prefix));
                        blobs.put(prefix + "lr-finder.json", Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(finder),
                                "application/json");
                        Artefacts.write(blobs, prefix, spec, modelSpec, history, stepLosses, finder, null, null, valid, train.batches(), null,
                                List.of());
                        events.send(event(TrainingEvent.COMPLETED, null, null, null, Map.of("suggested_lr", finder.steepest(),
                                        "one_cycle_peak", finder.lowest()), String.format(java.util.Locale.ROOT,
                                "suggested learning rate %.2e (steepest descent; minimum/10: %.2e); one-cycle peak %.2e (lowest loss)",
                                finder.steepest(), finder.minimumOverTen(), finder.lowest())));
                        return new Outcome(spec, List.of(), finder, null, null);
                    }
                    learner.fit(FitPlan.of(spec), train, valid, resume.startEpoch, listener(prefix));
                    Predictions predictions = learner.predict(valid);
                    // Fitted on the validation split; the operating point and the report's figures are in calibrated space,
                    // which is what serving answers.
                    Calibration calibration = Calibration.fit(predictions);
                    List<SubgroupMetrics.Row> subgroups = SubgroupMetrics.of(calibration.apply(predictions), valid.metadata(),
                            Artefacts.operatingPoints(predictions, calibration));
                    String modelKey = Artefacts.saveModel(blobs, spec, modelSpec, dataset, datasetJson, learner, history, predictions,
                            calibration, subgroups, work.resolve("model"));
                    Artefacts.write(blobs, prefix, spec, modelSpec, history, stepLosses, null, calibration.apply(predictions), calibration,
                            valid, train.batches(), new Artefacts.Explainer(GradCam.of(learner), Artefacts.greyChannel(blobs, dataset)),
                            List.of(TrainingReport.subgroupTable(subgroups)));
                    EpochResult last = history.isEmpty() ? null : history.get(history.size() - 1);
                    events.send(new TrainingEvent(spec.id(), TrainingEvent.COMPLETED, null, null, null, null, null, null,
                            last == null ? Map.of() : metrics(last), null, "model " + modelKey, Instant.now(), modelKey));
                    return new Outcome(spec, List.copyOf(history), null, modelKey, predictions);
                }
            }
        } catch (RuntimeException | IOException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            try {
                events.send(event(TrainingEvent.FAILED, null, null, null, null, reason));
            } catch (RuntimeException ignored) {
                // the event channel itself failed: the exception below still reaches the log and the exit code
            }
            if (e instanceof IOException io) throw new UncheckedIOException(reason, io);
            throw (RuntimeException) e;
        }
    }

    /** The dataset version's dataset.json, as read: the model's lineage records its digest. */
    private byte[] datasetJson() {
        int at = spec.dataset().indexOf('@');
        String key = ObjectKeys.datasetJson(spec.dataset().substring(0, at), spec.dataset().substring(at + 1));
        if (blobs.size(key).isEmpty()) {
            throw new IllegalArgumentException("dataset " + spec.dataset() + " is not published: no " + blobs.describe(key));
        }
        return blobs.get(key);
    }

    private record Resume(Learner learner, int startEpoch) {
    }

    /** The newest checkpoint of this job, if any, with its metrics so far; else a fresh (or pretrained) learner. */
    private Resume resume(String prefix, ModelSpec modelSpec) throws IOException {
        String checkpoints = prefix + "checkpoints/";
        int latest = -1;
        for (String key : blobs.list(checkpoints)) {
            String rest = key.substring(checkpoints.length());
            if (rest.startsWith("epoch-") && rest.endsWith("/done")) latest = Math.max(latest, Integer.parseInt(rest.substring(6, 9)));
        }
        if (latest >= 0 && spec.kind() != JobKind.LR_FIND) {
            String dir = checkpoints + String.format("epoch-%03d/", latest);
            Path local = work.resolve("resume");
            download(blobs, dir, local);
            if (blobs.size(prefix + "metrics.json").isPresent()) {
                var tree = Events.JSON.readTree(blobs.get(prefix + "metrics.json"));
                for (var e : tree.path("epochs")) history.add(Events.JSON.treeToValue(e, EpochResult.class));
            }
            int resumed = latest;
            history.removeIf(r -> r.epoch() > resumed);
            events.send(event(TrainingEvent.PROGRESS, null, latest, null, null, "resuming after the checkpoint of epoch " + (latest + 1)));
            return new Resume(Learner.load(local), latest + 1);
        }
        if (spec.pretrained() == null) return new Resume(Learner.create(modelSpec, spec.seed()), 0);
        // Checked again here, not only at submission: the spec file may have been written by anyone with the bucket's
        // keys, and nothing but the two allowed forms may ever reach a read (no path of this node's file system).
        PretrainedSource source = PretrainedSource.parse(spec.pretrained());
        if (source instanceof PretrainedSource.Registry registry) return new Resume(registryModel(registry, modelSpec), 0);
        PretrainedSource.Bucket bucket = (PretrainedSource.Bucket) source;
        if (blobs.size(bucket.key()).isEmpty()) {
            throw new IllegalArgumentException("pretrained backbone " + source + " is not in the bucket: upload the TorchScript file as "
                    + blobs.describe(bucket.key()));
        }
        Path file = work.resolve("pretrained.pt");
        Files.createDirectories(work);
        Files.write(file, blobs.get(bucket.key()));
        Learner learner = Learner.create(modelSpec, spec.seed());
        try {
            var report = learner.loadPretrainedBackbone(file);
            events.send(event(TrainingEvent.PROGRESS, null, 0, null, null, "pretrained backbone from " + source + ": "
                    + report.copied() + " parameter arrays copied" + (report.ignored().isEmpty() ? "" : ", ignored " + report.ignored())
                    + (report.summedChannels() ? ", colour stem summed to one channel" : "")));
        } catch (RuntimeException | IOException e) {
            learner.close();
            throw e;
        }
        return new Resume(learner, 0);
    }

    /** {@code model:<name>/<version>}: a registry model's weights, which must have this job's network shape. */
    private Learner registryModel(PretrainedSource.Registry registry, ModelSpec modelSpec) throws IOException {
        Path local = work.resolve("pretrained");
        download(blobs, registry.weightsKey(), local);
        Learner learner = Learner.load(local);
        if (!learner.spec().equals(modelSpec)) {
            learner.close();
            throw new IllegalArgumentException("pretrained model " + registry.name() + "/" + registry.version() + " is " + learner.spec()
                    + ", this job needs " + modelSpec);
        }
        return learner;
    }

    /** Copies every object under {@code prefix} into the folder {@code into}, emptied first. */
    static void download(Blobs blobs, String prefix, Path into) throws IOException {
        if (Files.exists(into)) {
            try (Stream<Path> old = Files.walk(into)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        List<String> keys = blobs.list(prefix);
        if (keys.isEmpty()) throw new IllegalArgumentException("nothing stored under " + blobs.describe(prefix));
        for (String key : keys) {
            Path file = into.resolve(key.substring(prefix.length()));
            Files.createDirectories(file.getParent());
            Files.write(file, blobs.get(key));
        }
    }

    private FitListener listener(String prefix) {
        return new FitListener() {
            private long lastEvent;
            private final long started = System.nanoTime();
            private int stepsDone;

            @Override
            public void step(StepProgress p) {
                stepLosses.add(p.loss());
                stepsDone++;
                long now = System.nanoTime();
                if ((now - lastEvent) / 1e9 < PROGRESS_EVERY_SECONDS && p.step() < p.steps()) return;
                lastEvent = now;
                double perStep = (now - started) / 1e9 / stepsDone;
                int remaining = (p.steps() - p.step()) + Math.max(0, p.epochs() - p.epoch() - 1) * p.steps(); // step counts steps done
                events.send(new TrainingEvent(spec.id(), TrainingEvent.PROGRESS, p.phase(), p.epoch(), p.epochs(), p.step(), p.steps(),
                        p.loss(), Map.of("lr", p.learningRate()), perStep * remaining, null, Instant.now(), null));
            }

            @Override
            public void epochEnded(EpochResult r, Learner learner) {
                history.removeIf(h -> h.epoch() == r.epoch());
                history.add(r);
                try {
                    checkpoint(prefix, r.epoch(), learner);
                    Map<String, Object> metrics = new LinkedHashMap<>();
                    metrics.put("job", spec.id());
                    metrics.put("epochs", history);
                    blobs.put(prefix + "metrics.json", Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metrics),
                            "application/json");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot checkpoint epoch " + (r.epoch() + 1) + ": " + e.getMessage(), e);
                }
                events.send(new TrainingEvent(spec.id(), TrainingEvent.EPOCH, r.phase(), r.epoch(), spec.epochs(), null, null, r.trainLoss(),
                        metrics(r), null, null, Instant.now(), null));
            }
        };
    }

    /** Weights of the epoch under checkpoints/epoch-NNN/, then a {@code done} marker: only complete checkpoints resume. */
    private void checkpoint(String prefix, int epoch, Learner learner) throws IOException {
        Path dir = work.resolve("checkpoint");
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        learner.save(dir);
        String key = prefix + "checkpoints/" + String.format("epoch-%03d/", epoch);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                blobs.putFile(key + dir.relativize(f).toString().replace('\\', '/'), f, "application/octet-stream");
            }
        }
        blobs.put(key + "done", new byte[0], "text/plain");
    }

    static Map<String, Double> metrics(EpochResult r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train_loss", r.trainLoss());
        m.put("valid_loss", r.validLoss());
        m.put("accuracy", r.accuracy());
        r.auc().forEach((label, auc) -> m.put("auc_" + label, auc));
        if (r.weightedLogLoss() != null) m.put("weighted_log_loss", r.weightedLogLoss());
        return m;
    }

    private TrainingEvent event(String kind, String phase, Integer epoch, Integer step, Map<String, Double> metrics, String message) {
        return event(spec, kind, phase, epoch, step, metrics, message);
    }

    static TrainingEvent event(JobSpec spec, String kind, String phase, Integer epoch, Integer step, Map<String, Double> metrics,
                               String message) {
        return new TrainingEvent(spec.id(), kind, phase, epoch, epoch == null ? null : spec.epochs(), step, null, null, metrics, null,
                message, Instant.now(), null);
    }
}
