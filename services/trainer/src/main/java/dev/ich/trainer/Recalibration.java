package dev.ich.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.event.TrainingEvent;
import dev.ich.core.label.Label;
import dev.ich.core.training.JobSpec;
import dev.ich.core.training.PretrainedSource;
import dev.ich.core.training.Task;
import dev.ich.model.Calibration;
import dev.ich.model.FitPlan;
import dev.ich.model.Learner;
import dev.ich.model.Metrics;
import dev.ich.model.OperatingPoints;
import dev.ich.model.Plots;
import dev.ich.model.Predictions;
import dev.ich.model.SubgroupMetrics;
import dev.ich.model.TrainingReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code calibrate} job: a registry model's weights, unchanged, with a new temperature per label and a new operating
 * point fitted on a site's labelled dataset, as the next version of the job's model name. Every slice of the dataset is
 * used, whatever split it is in: nothing is trained, so nothing needs holding out, and a site's calibration set is
 * small (docs/training.md, "Per-site recalibration"). The before and after figures are on those same slices.
 */
final class Recalibration {
    private final JobSpec spec;
    private final Blobs blobs;
    private final EventSink events;
    private final java.nio.file.Path work;

    /** The new version's key prefix and the site's raw predictions. */
    record Result(String modelKey, Predictions predictions) {
    }

    Recalibration(JobSpec spec, Blobs blobs, EventSink events, java.nio.file.Path work) {
        this.spec = spec;
        this.blobs = blobs;
        this.events = events;
        this.work = work;
    }

    Result run(DatasetPublished dataset, byte[] datasetJson) throws IOException {
        PretrainedSource.Registry source = spec.sourceRegistryModel();
        String sourceName = source.name() + " " + source.version();
        if (blobs.size(source.modelJsonKey()).isEmpty()) {
            throw new IllegalArgumentException("source model " + sourceName + " is not in the registry: no " + blobs.describe(source.modelJsonKey())
                    + " (GET /models lists the versions there are)");
        }
        JsonNode model = Events.JSON.readTree(blobs.get(source.modelJsonKey()));
        Task task = Task.parse(model.path("task").asText());
        check(model, task, dataset, sourceName);
        List<String> shards = new ArrayList<>();
        int slices = 0;
        for (Map.Entry<String, List<String>> split : dataset.shards().entrySet()) {
            shards.addAll(split.getValue());
            slices += dataset.counts().getOrDefault(split.getKey(), Map.of()).getOrDefault("slices", 0L).intValue();
        }
        if (slices == 0) throw new IllegalArgumentException("dataset " + dataset.id() + " has no slices to calibrate on");
        try (ShardBatchSource all = new ShardBatchSource(shards, slices, blobs, work.resolve("shards"), task, spec.batchSize(), null,
                spec.seed(), spec.maxBatches(), spec.workers())) {
            int[] shape = all.shape();
            if (shape[0] != model.path("channels").asInt() || shape[1] != model.path("imageSize").asInt()) {
                throw new IllegalArgumentException("dataset " + dataset.id() + " has " + shape[0] + "-channel " + shape[1] + " px images, model "
                        + sourceName + " takes " + model.path("channels").asInt() + "-channel " + model.path("imageSize").asInt()
                        + " px: build the calibration set with the model's pipeline");
            }
            events.send(TrainingJob.event(spec, TrainingEvent.STARTED, null, null, null, null, "calibrating " + sourceName + " on dataset "
                    + dataset.id() + ": " + slices + " slices of every split, nothing retrained"));
            java.nio.file.Path weights = work.resolve("source");
            TrainingJob.download(blobs, source.weightsKey(), weights);
            Predictions raw;
            try (Learner learner = Learner.load(weights)) {
                raw = learner.predict(all);
                events.send(TrainingJob.event(spec, TrainingEvent.PROGRESS, "predict", null, null, null,
                        "predicted " + raw.uids().size() + " slices; fitting a temperature and a threshold per label"));
                String modelKey = write(model, source, dataset, datasetJson, raw, all, learner);
                return new Result(modelKey, raw);
            }
        }
    }

    /** The dataset must label what the model predicts, on the images it was trained on. */
    private void check(JsonNode model, Task task, DatasetPublished dataset, String sourceName) {
        if (spec.task() != null && spec.task() != task) {
            throw new IllegalArgumentException("the job's task is " + spec.task().json() + " but model " + sourceName + " predicts "
                    + task.json() + ": omit task, a calibration keeps the model's");
        }
        Task labelled = Task.parse(dataset.task());
        List<String> modelLabels = new ArrayList<>();
        model.path("labels").forEach(l -> modelLabels.add(l.asText()));
        List<String> datasetLabels = labelled.labels().stream().map(Label::csvName).toList();
        if (!datasetLabels.containsAll(modelLabels) || !modelLabels.equals(task.labels().stream().map(Label::csvName).toList())) {
            throw new IllegalArgumentException("model " + sourceName + " predicts " + modelLabels + " but dataset " + dataset.id() + " (task "
                    + labelled.json() + ") labels " + datasetLabels + ": calibrate on a dataset built for the model's task");
        }
        String pipeline = model.path("preprocessing").path("pipeline").asText(null);
        if (pipeline != null && !pipeline.equals(dataset.pipeline())) {
            throw new IllegalArgumentException("dataset " + dataset.id() + " holds images of pipeline " + dataset.pipeline() + ", model "
                    + sourceName + " was trained on pipeline " + pipeline + ": serving feeds it the latter, so calibrate on a dataset of it");
        }
    }

    private String write(JsonNode source, PretrainedSource.Registry from, DatasetPublished dataset, byte[] datasetJson, Predictions raw,
                         ShardBatchSource all, Learner learner) throws IOException {
        double target = OperatingPoints.DEFAULT_TARGET_SENSITIVITY;
        Calibration calibration = Calibration.fit(raw);
        Predictions after = calibration.apply(raw);
        Map<String, OperatingPoints.Point> points = Artefacts.operatingPoints(raw, calibration);
        List<Label> labels = Metrics.labels(raw.outputs());
        Map<String, Object> perLabel = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; k < labels.size(); k++) {
            String label = labels.get(k).csvName();
            double sourceTemperature = source.path("calibration").path("temperature").path(label).asDouble(1.0);
            double sourceThreshold = source.path("operatingPoint").path("labels").path(label).path("threshold").asDouble(0.5);
            float[] y = Metrics.column(raw.targets(), raw.outputs(), k);
            float[] beforeP = Calibration.apply(Metrics.column(raw.probabilities(), raw.outputs(), k), sourceTemperature);
            OperatingPoints.Point before = OperatingPoints.at(beforeP, y, sourceThreshold, "the source model's threshold");
            double eceBefore = Calibration.expectedCalibrationError(beforeP, y, calibration.bins());
            Calibration.LabelFit fit = calibration.labels().get(label);
            perLabel.put(label, Map.of("before", side(sourceTemperature, eceBefore, before), "after", side(fit.temperature(), fit.eceAfter(),
                    points.get(label))));
            rows.add(row(label, "before (" + from.name() + " " + from.version() + ")", sourceTemperature, eceBefore, before));
            rows.add(row(label, "after", fit.temperature(), fit.eceAfter(), points.get(label)));
        }
        List<SubgroupMetrics.Row> subgroups = SubgroupMetrics.of(after, all.metadata(), points);
        Map<String, Object> recalibration = new LinkedHashMap<>();
        recalibration.put("sourceModel", spec.sourceModel());
        recalibration.put("dataset", dataset.id());
        recalibration.put("slices", raw.uids().size());
        recalibration.put("splits", List.copyOf(dataset.shards().keySet()));
        recalibration.put("targetSensitivity", target);
        recalibration.put("labels", perLabel);

        String version = Artefacts.claimVersion(blobs, spec.modelName());
        String prefix = ObjectKeys.model(spec.modelName(), version);
        // The weights byte for byte: a calibration changes what the probabilities mean, never the network.
        for (String key : blobs.list(from.weightsKey())) {
            blobs.put(prefix + "weights/" + key.substring(from.weightsKey().length()), blobs.get(key), "application/octet-stream");
        }
        ObjectNode m = source.deepCopy();
        m.put("name", spec.modelName());
        m.put("version", version);
        m.put("job", spec.id());
        m.put("calibrationDataset", dataset.id());
        Map<String, Object> metrics = new LinkedHashMap<>();
        Metrics.aucByLabel(after).forEach((label, auc) -> metrics.put("auc_" + label, auc));
        metrics.put("accuracy", Metrics.accuracy(after, 0.5));
        metrics.put("log_loss", Metrics.logLoss(after));
        m.set("metrics", Events.JSON.valueToTree(Artefacts.metrics(metrics, subgroups)));
        m.set("calibration", Events.JSON.valueToTree(calibration.json()));
        Map<String, Object> operatingPoint = OperatingPoints.json(points, target);
        operatingPoint.put("chosenOn", "calibration dataset " + dataset.id());
        m.set("operatingPoint", Events.JSON.valueToTree(operatingPoint));
        m.set("recalibration", Events.JSON.valueToTree(recalibration));
        m.put("weights", prefix + "weights/");
        Map<String, Object> lineage = Artefacts.lineage(spec, dataset, datasetJson, BuildInfo.current());
        lineage.put("sourceModel", spec.sourceModel());
        lineage.put("sourceLineage", source.path("lineage").isObject() ? source.get("lineage") : null);
        m.set("lineage", Events.JSON.valueToTree(lineage));
        m.put("createdAt", Instant.now().toString());
        blobs.put(prefix + "model.json", Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m), "application/json");

        String jobPrefix = ObjectKeys.job(spec.id());
        blobs.put(jobPrefix + "recalibration.json", Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(recalibration),
                "application/json");
        Map<String, byte[]> figures = new LinkedHashMap<>();
        figures.put("roc", Plots.roc(after));
        figures.put("reliability", Plots.reliability(calibration));
        for (Map.Entry<String, byte[]> f : figures.entrySet()) blobs.put(jobPrefix + f.getKey() + ".png", f.getValue(), "image/png");
        TrainingReport.Table beforeAfter = new TrainingReport.Table("Before and after", "Every slice of " + dataset.id() + " ("
                + raw.uids().size() + "), through the unchanged weights of " + from.name() + " " + from.version() + ": before at the source"
                + " model's temperature and threshold, after at the ones fitted here (the figures are on the slices they were fitted on).",
                List.of("label", "", "temperature", "ECE", "threshold", "sensitivity", "specificity"), rows);
        String html = TrainingReport.html("Job " + spec.id() + " (calibrate " + from.name() + " " + from.version() + " on " + dataset.id() + ")",
                learner.spec(), FitPlan.of(spec), List.of(), figures, calibration, points, target,
                List.of(beforeAfter, TrainingReport.subgroupTable(subgroups)));
        blobs.put(jobPrefix + "report.html", html.getBytes(StandardCharsets.UTF_8), "text/html");

        Map<String, Double> summary = new LinkedHashMap<>();
        for (Label l : labels) {
            summary.put("temperature_" + l.csvName(), calibration.temperature(l.csvName()));
            summary.put("threshold_" + l.csvName(), points.get(l.csvName()).threshold());
        }
        events.send(new TrainingEvent(spec.id(), TrainingEvent.COMPLETED, null, null, null, null, null, null, summary, null,
                "model " + prefix + " (" + from.name() + " " + from.version() + " recalibrated on " + dataset.id() + ")", Instant.now(), prefix));
        return prefix;
    }

    private static Map<String, Object> side(double temperature, double ece, OperatingPoints.Point point) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("temperature", temperature);
        m.put("ece", ece);
        m.putAll(OperatingPoints.json(point));
        return m;
    }

    private static List<String> row(String label, String when, double temperature, double ece, OperatingPoints.Point p) {
        return List.of(label, when, String.format(Locale.ROOT, "%.3f", temperature), TrainingReport.num(ece),
                String.format(Locale.ROOT, "%.4f", p.threshold()), TrainingReport.withCi(p.sensitivity(), p.sensitivityCi()),
                TrainingReport.withCi(p.specificity(), p.specificityCi()));
    }
}
