package dev.ich.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.dataset.SlicePlace;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.event.TrainingEvent;
import dev.ich.core.label.Label;
import dev.ich.core.training.JobSpec;
import dev.ich.core.training.PretrainedSource;
import dev.ich.core.training.Task;
import dev.ich.model.Learner;
import dev.ich.model.SliceFeatures;
import dev.ich.model.StudyHead;
import dev.ich.model.StudyScores;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code study-head} job: the source slice model (frozen) gives every slice of every study its pooled features and
 * logits, a {@link StudyHead} learns on the training studies, and the validation studies are scored both ways (max over
 * the slice model's slices, and the head); the head is stored as a new model version that names its source.
 */
final class StudyHeadJob {
    static final String KIND = "study-head";
    static final String SLICE_MAX = "slice max";
    static final String HEAD = "study head";

    private final JobSpec spec;
    private final Blobs blobs;
    private final EventSink events;
    private final Path work;

    StudyHeadJob(JobSpec spec, Blobs blobs, EventSink events, Path work) {
        this.spec = spec;
        this.blobs = blobs;
        this.events = events;
        this.work = work;
    }

    TrainingJob.Outcome run(DatasetPublished dataset, byte[] datasetJson, String prefix, TrainingJob.Downloader download) throws IOException {
        PretrainedSource.Registry source = spec.sourceRegistryModel();
        String sourceJsonKey = dev.ich.core.contract.ObjectKeys.model(source.name(), source.version()) + "model.json";
        if (blobs.size(sourceJsonKey).isEmpty()) {
            throw new IllegalArgumentException("source model " + spec.sourceModel() + " is not in the registry: no " + blobs.describe(sourceJsonKey));
        }
        JsonNode sourceJson = Events.JSON.readTree(blobs.get(sourceJsonKey));
        if (KIND.equals(sourceJson.path("kind").asText(null))) {
            throw new IllegalArgumentException("source model " + spec.sourceModel() + " is itself a study head: name the slice model it was trained on");
        }
        Path local = work.resolve("source");
        download.into(source.weightsKey(), local);
        try (Learner slices = Learner.load(local)) {
            Task task = slices.spec().task();
            if (spec.task() != null && spec.task() != task) {
                throw new IllegalArgumentException("the job asks for task " + spec.task().json() + ", source model " + spec.sourceModel() + " predicts "
                        + task.json() + ": a study head has its source model's outputs (omit task)");
            }
            Map<String, Long> none = Map.of();
            int trainSize = dataset.counts().getOrDefault("train", none).getOrDefault("slices", 0L).intValue();
            int validSize = dataset.counts().getOrDefault("valid", none).getOrDefault("slices", 0L).intValue();
            Path cache = work.resolve("shards");
            // no augmentation: the head learns what the frozen model sees of real slices
            try (ShardBatchSource train = new ShardBatchSource(dataset.shards().getOrDefault("train", List.of()), trainSize, blobs, cache, task,
                    spec.batchSize(), null, spec.seed(), spec.maxBatches(), spec.workers());
                 ShardBatchSource valid = new ShardBatchSource(dataset.shards().getOrDefault("valid", List.of()), validSize, blobs, cache, task,
                         spec.batchSize(), null, spec.seed(), spec.maxBatches(), spec.workers())) {
                if (trainSize == 0 || validSize == 0) {
                    throw new IllegalArgumentException("dataset " + spec.dataset() + " has " + trainSize + " train and " + validSize
                            + " valid slices: both splits are needed");
                }
                int[] shape = train.shape();
                if (shape[0] != slices.spec().channels() || shape[1] != slices.spec().imageSize()) {
                    throw new IllegalArgumentException("source model " + spec.sourceModel() + " takes " + slices.spec().channels() + " x "
                            + slices.spec().imageSize() + " px, dataset " + dataset.id() + " holds " + shape[0] + " x " + shape[1]
                            + " (pipeline " + dataset.pipeline() + "): use the dataset (and context) the source model was trained on");
                }
                events.send(event(TrainingEvent.STARTED, null, "study head on " + spec.sourceModel() + "'s features, dataset " + dataset.id()));
                SliceFeatures trainFeatures = slices.features(train);
                SliceFeatures validFeatures = slices.features(valid);
                List<StudyHead.Study> trainStudies = studies(trainFeatures, train.places(), "train");
                List<StudyHead.Study> validStudies = studies(validFeatures, valid.places(), "valid");
                List<Double> losses = new ArrayList<>();
                StudyHead.Config config = StudyHead.Config.defaults(spec.epochs(), spec.seed());
                config = new StudyHead.Config(config.hidden(), config.kernel(), config.dropout(), spec.epochs(), spec.lr(), spec.weightDecay(),
                        spec.seed());
                try (StudyHead head = StudyHead.train(trainFeatures, trainStudies, config, loss -> {
                    losses.add(loss);
                    events.send(new TrainingEvent(spec.id(), TrainingEvent.EPOCH, KIND, losses.size() - 1, spec.epochs(), null, null, loss,
                            Map.of("train_loss", loss), null, null, Instant.now(), null));
                })) {
                    StudyHead.Output out = head.predict(validFeatures, validStudies);
                    Map<String, String> studyOf = new LinkedHashMap<>();
                    for (StudyHead.Study s : validStudies) for (String uid : s.uids()) studyOf.put(uid, s.id());
                    List<StudyScores> scores = List.of(
                            StudyScores.of(SLICE_MAX, validFeatures.predictions(), StudyScores.maxOverSlices(validFeatures.predictions(), studyOf)),
                            StudyScores.of(HEAD, out.slices(), out.studies()));
                    String modelKey = save(head, slices, sourceJson, dataset, datasetJson, task, scores);
                    Map<String, Object> metrics = new LinkedHashMap<>();
                    metrics.put("job", spec.id());
                    metrics.put("kind", KIND);
                    metrics.put("sourceModel", spec.sourceModel());
                    metrics.put("trainLoss", losses);
                    metrics.put("sliceMax", scores.get(0).json());
                    metrics.put("studyHead", scores.get(1).json());
                    blobs.put(prefix + "metrics.json", Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metrics), "application/json");
                    blobs.put(prefix + "study-levels.md", StudyScores.table(scores).getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/markdown");
                    events.send(new TrainingEvent(spec.id(), TrainingEvent.COMPLETED, null, null, null, null, null, null, flat(scores), null,
                            String.format(Locale.ROOT, "model %s: study AUC %.4f (slice max %.4f), study weighted log loss %.4f (slice max %.4f)",
                                    modelKey, scores.get(1).studyAuc(), scores.get(0).studyAuc(), scores.get(1).studyWeightedLogLoss(),
                                    scores.get(0).studyWeightedLogLoss()), Instant.now(), modelKey));
                    return new TrainingJob.Outcome(spec, List.of(), null, modelKey, out.slices(), scores);
                }
            }
        }
    }

    /** The slices of {@code features} grouped by study and ordered by position; a slice without a place is refused. */
    static List<StudyHead.Study> studies(SliceFeatures features, Map<String, SlicePlace> places, String split) {
        Map<String, List<String>> byStudy = new LinkedHashMap<>();
        for (String uid : features.uids()) {
            SlicePlace p = places.get(uid);
            if (p == null) {
                throw new IllegalArgumentException("slice " + uid + " of the " + split + " split has no study and position (a dataset built before"
                        + " shards carried them): rebuild the dataset version");
            }
            byStudy.computeIfAbsent(p.study(), k -> new ArrayList<>()).add(uid);
        }
        List<StudyHead.Study> out = new ArrayList<>();
        byStudy.forEach((study, uids) -> {
            uids.sort(Comparator.comparingDouble((String u) -> places.get(u).position()).thenComparing(u -> u));
            out.add(new StudyHead.Study(study, List.copyOf(uids)));
        });
        return out;
    }

    private String save(StudyHead head, Learner slices, JsonNode sourceJson, DatasetPublished dataset, byte[] datasetJson, Task task,
                        List<StudyScores> scores) throws IOException {
        String prefix = Artefacts.nextVersion(blobs, spec.modelName());
        Path dir = work.resolve("study-head");
        head.save(dir);
        Artefacts.uploadWeights(blobs, prefix, dir);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", spec.modelName());
        model.put("version", Artefacts.versionOf(prefix));
        model.put("kind", KIND);
        model.put("sourceModel", spec.sourceModel());
        model.put("architecture", slices.spec().architecture());
        model.put("task", task);
        model.put("labels", task.labels().stream().map(Label::csvName).toList());
        model.put("channels", slices.spec().channels());
        model.put("imageSize", slices.spec().imageSize());
        model.put("head", Map.of("layers", "dropout, conv1d k" + head.stored().config().kernel() + " x " + head.stored().config().hidden()
                + ", relu, conv1d k" + head.stored().config().kernel() + " x " + head.stored().outputs() + ", plus the source logits",
                "study", "max over slices of the per-slice logits", "featureDim", head.stored().featureDim()));
        model.put("outputs", List.of("per-slice", "per-study"));
        model.put("dataset", dataset.id());
        model.put("labelsVersion", dataset.labelsVersion());
        model.put("job", spec.id());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("sliceMax", scores.get(0).json());
        metrics.put("studyHead", scores.get(1).json());
        model.put("metrics", metrics);
        model.put("weights", prefix + "weights/");
        model.put("preprocessing", sourceJson.get("preprocessing"));
        Map<String, Object> lineage = Artefacts.lineage(spec, dataset, datasetJson, BuildInfo.current());
        lineage.put("sourceModel", spec.sourceModel());
        lineage.put("sourceModelJob", sourceJson.path("job").asText(null));
        model.put("lineage", lineage);
        model.put("createdAt", Instant.now().toString());
        blobs.put(prefix + "model.json", Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(model), "application/json");
        return prefix;
    }

    /** The completed event's metrics: the head's, then slice max's under {@code slice_max_}, on the same validation studies. */
    private static Map<String, Double> flat(List<StudyScores> scores) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = scores.size() - 1; i >= 0; i--) {
            String prefix = i == 0 ? "slice_max_" : "";
            StudyScores s = scores.get(i);
            m.put(prefix + "study_auc_any", s.studyAuc());
            m.put(prefix + "slice_auc_any", s.sliceAuc());
            m.put(prefix + "study_weighted_log_loss", s.studyWeightedLogLoss());
            m.put(prefix + "slice_weighted_log_loss", s.sliceWeightedLogLoss());
        }
        return m;
    }

    private TrainingEvent event(String kind, Map<String, Double> metrics, String message) {
        return new TrainingEvent(spec.id(), kind, null, null, null, null, null, null, metrics, null, message, Instant.now(), null);
    }
}
