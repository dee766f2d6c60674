package dev.ich.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.augment.PlanarImage;
import dev.ich.core.clean.Windows;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dataset.DatasetSample;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.label.Label;
import dev.ich.core.storage.VersionCounter;
import dev.ich.core.training.JobSpec;
import dev.ich.model.Calibration;
import dev.ich.model.EpochResult;
import dev.ich.model.FitPlan;
import dev.ich.model.Learner;
import dev.ich.model.LrFinderResult;
import dev.ich.model.ModelSpec;
import dev.ich.model.OperatingPoints;
import dev.ich.model.Plots;
import dev.ich.model.Predictions;
import dev.ich.model.SubgroupMetrics;
import dev.ich.model.TrainingReport;
import dev.ich.model.explain.GradCam;
import dev.ich.model.explain.HeatmapOverlay;
import dev.ich.model.explain.HeatmapSelection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What a job leaves behind: plots and report.html under jobs/<id>/, and the model under models/<name>/<version>/. */
final class Artefacts {
    private Artefacts() {
    }

    /**
     * Saves the model as the next version of its name (a number the name never had, {@link VersionCounter}): the
     * weights as the learner writes them, then {@code model.json} (last: its presence means the version is complete)
     * with everything serving needs to build the same network and feed it the same pixels.
     */
    static String saveModel(Blobs blobs, JobSpec spec, ModelSpec modelSpec, DatasetPublished dataset, byte[] datasetJson, Learner learner,
                            List<EpochResult> history, Predictions validation, Calibration calibration, List<SubgroupMetrics.Row> subgroups,
                            Path dir) throws IOException {
        String version = claimVersion(blobs, spec.modelName());
        String prefix = ObjectKeys.model(spec.modelName(), version);
        Files.createDirectories(dir);
        learner.save(dir);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                blobs.putFile(prefix + "weights/" + dir.relativize(f).toString().replace('\\', '/'), f, "application/octet-stream");
            }
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", spec.modelName());
        model.put("version", version);
        model.put("architecture", modelSpec.architecture());
        model.put("task", modelSpec.task());
        model.put("labels", modelSpec.task().labels().stream().map(Label::csvName).toList());
        model.put("channels", modelSpec.channels());
        model.put("imageSize", modelSpec.imageSize());
        model.put("dropout", modelSpec.dropout());
        model.put("dataset", dataset.id());
        model.put("labelsVersion", dataset.labelsVersion());
        model.put("job", spec.id());
        model.put("metrics", metrics(history.isEmpty() ? Map.of() : TrainingJob.metrics(history.get(history.size() - 1)), subgroups));
        // Temperatures per label (serving applies them to every probability), with the ECE and reliability before and after.
        model.put("calibration", calibration.json());
        // The threshold per label the study triage calls at (docs/dicom.md, "Operating point"), from this run's validation,
        // chosen on the calibrated probabilities: the thresholds are in the space serving answers in.
        model.put("operatingPoint", OperatingPoints.json(operatingPoints(validation, calibration), OperatingPoints.DEFAULT_TARGET_SENSITIVITY));
        model.put("weights", prefix + "weights/");
        // The exact cleaning configuration the training images came from: serving runs the same pipeline.
        String pipelineKey = "clean/" + dataset.pipeline() + "/pipeline.json";
        Map<String, Object> preprocessing = new LinkedHashMap<>();
        preprocessing.put("pipeline", dataset.pipeline());
        preprocessing.put("config", blobs.size(pipelineKey).isPresent() ? Events.JSON.readTree(blobs.get(pipelineKey)) : null);
        preprocessing.put("input", "PNG channels scaled to [0,1], channel-first; no mean/std normalisation");
        model.put("preprocessing", preprocessing);
        model.put("lineage", lineage(spec, dataset, datasetJson, BuildInfo.current()));
        model.put("createdAt", Instant.now().toString());
        blobs.put(prefix + "model.json", Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(model), "application/json");
        return prefix;
    }

    /**
     * The name's next version {@code v<N>}: a number the name never had
     * ({@link VersionCounter}), claimed now.
     */
    static String claimVersion(Blobs blobs, String modelName) {
        int highestStored = 0;
        String base = "models/" + modelName + "/";
        for (String key : blobs.list(base)) {
            String rest = key.substring(base.length());
            if (rest.startsWith("v") && rest.indexOf('/') > 1) {
                try {
                    highestStored = Math.max(highestStored, Integer.parseInt(rest.substring(1, rest.indexOf('/'))));
                } catch (NumberFormatException ignored) {
                    // not a version folder
                }
            }
        }
        // Above every number the name ever had (models/<name>/high-water.json), not only those still stored: a version an
        // operator deleted is still named by reports, events and perhaps models/serving.json.
        int number = new VersionCounter(new VersionCounter.Marks() {
            public java.util.Optional<byte[]> read(String key) {
                return blobs.size(key).isPresent() ? java.util.Optional.of(blobs.get(key)) : java.util.Optional.empty();
            }

            public void write(String key, byte[] json) {
                blobs.put(key, json, "application/json");
            }
        }, ObjectKeys.modelHighWater(modelName)).claim(highestStored);
        return "v" + number;
    }

    /** The validation metrics of model.json: the last epoch's, and the subgroups' when the samples carried any. */
    static Map<String, Object> metrics(Map<String, ?> overall, List<SubgroupMetrics.Row> subgroups) {
        Map<String, Object> metrics = new LinkedHashMap<>(overall);
        if (!subgroups.isEmpty()) metrics.put("subgroups", SubgroupMetrics.json(subgroups));
        return metrics;
    }

    /** The operating point of the calibrated validation probabilities. */
    static Map<String, OperatingPoints.Point> operatingPoints(Predictions validation, Calibration calibration) {
        return OperatingPoints.choose(calibration.apply(validation), OperatingPoints.DEFAULT_TARGET_SENSITIVITY);
    }

    /**
     * Where the model came from: the dataset version and the digest of the dataset.json bytes the trainer read, its
     * cleaning pipeline and labels version, the job and its resolved spec, and the code (version and commit from the
     * build; null when the build did not say).
     */
    static Map<String, Object> lineage(JobSpec spec, DatasetPublished dataset, byte[] datasetJson, BuildInfo build) {
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("dataset", dataset.id());
        lineage.put("datasetDigest", "sha256:" + sha256(datasetJson));
        lineage.put("pipeline", dataset.pipeline());
        lineage.put("labelsVersion", dataset.labelsVersion());
        lineage.put("job", spec.id());
        lineage.put("spec", Events.JSON.valueToTree(spec));
        Map<String, Object> code = new LinkedHashMap<>();
        code.put("version", build.version());
        code.put("commit", build.commit());
        lineage.put("code", code);
        return lineage;
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    static final int GRID_SLICES = 24;
    static final int HEATMAP_SLICES = 6;

    /** Grad-CAM on the trained network, and which channel of the dataset's PNGs is the brain window (the overlay's grey). */
    record Explainer(GradCam gradCam, int greyChannel) {
    }

    /** The brain window's channel in the dataset's pipeline (clean/<pipeline>/pipeline.json); the first when it has none. */
    static int greyChannel(Blobs blobs, DatasetPublished dataset) throws IOException {
        String key = "clean/" + dataset.pipeline() + "/pipeline.json";
        if (blobs.size(key).isEmpty()) return 0;
        JsonNode channels = Events.JSON.readTree(blobs.get(key)).path("channels");
        for (int c = 0; c < channels.size(); c++) if (Windows.BRAIN.name().equals(channels.get(c).path("name").asText())) return c;
        return 0;
    }

    /**
     * Plots and report.html of the job: loss curves, the finder's curve, ROC curves, the reliability diagram, a grid of validation
     * slices with predicted and true labels (mistakes in red) and, with an explainer, Grad-CAM heatmaps of a few of
     * them, all inlined in the report and stored as PNGs.
     */
    static void write(Blobs blobs, String prefix, JobSpec spec, ModelSpec modelSpec, List<EpochResult> history, List<Double> stepLosses,
                      LrFinderResult finder, Predictions predictions, Calibration calibration, ShardBatchSource valid, int stepsPerEpoch,
                      Explainer explainer, List<TrainingReport.Table> tables)
            throws IOException {
        Map<String, byte[]> figures = new LinkedHashMap<>();
        if (finder != null) figures.put("lr-finder", Plots.lrFinder(finder));
        if (!history.isEmpty()) figures.put("losses", Plots.lossCurves(stepLosses, stepsPerEpoch, history));
        if (predictions != null) {
            figures.put("roc", Plots.roc(predictions));
            if (calibration != null) figures.put("reliability", Plots.reliability(calibration));
            Map<String, Integer> index = new java.util.HashMap<>();
            for (int i = 0; i < predictions.uids().size(); i++) index.put(predictions.uids().get(i), i);
            List<Plots.GridItem> items = new java.util.ArrayList<>();
            int k = predictions.outputs();
            for (var s : valid.firstSamples(GRID_SLICES)) {
                Integer i = index.get(s.uid());
                if (i == null) continue;
                items.add(Plots.GridItem.ofPng(s.png(), java.util.Arrays.copyOfRange(predictions.probabilities(), i * k, i * k + k),
                        java.util.Arrays.copyOfRange(predictions.targets(), i * k, i * k + k)));
            }
            if (!items.isEmpty()) figures.put("results", Plots.resultsGrid(items, 6));
            if (explainer != null) {
                List<Plots.HeatmapItem> heatmaps = heatmaps(predictions, valid, modelSpec, explainer);
                if (!heatmaps.isEmpty()) figures.put("heatmaps", Plots.heatmapGrid(heatmaps, HEATMAP_SLICES));
            }
        }
        for (Map.Entry<String, byte[]> f : figures.entrySet()) blobs.put(prefix + f.getKey() + ".png", f.getValue(), "image/png");
        String title = "Job " + spec.id() + " (" + spec.kind().json() + ", " + spec.dataset() + ")";
        String html = calibration == null ? TrainingReport.html(title, modelSpec, FitPlan.of(spec), history, figures)
                : TrainingReport.html(title, modelSpec, FitPlan.of(spec), history, figures, calibration,
                OperatingPoints.choose(predictions, OperatingPoints.DEFAULT_TARGET_SENSITIVITY), OperatingPoints.DEFAULT_TARGET_SENSITIVITY,
                tables);
        blobs.put(prefix + "report.html", html.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/html");
    }

    /** Grad-CAM of the worst validation mistakes, then true positives, each for the output it is picked for. */
    static List<Plots.HeatmapItem> heatmaps(Predictions predictions, ShardBatchSource valid, ModelSpec modelSpec, Explainer explainer) {
        List<HeatmapSelection.Pick> picks = HeatmapSelection.worstMistakesThenTruePositives(predictions, HEATMAP_SLICES);
        Set<String> uids = picks.stream().map(p -> predictions.uids().get(p.slice())).collect(Collectors.toSet());
        Map<String, DatasetSample> samples = valid.samples(uids).stream().collect(Collectors.toMap(DatasetSample::uid, Function.identity(),
                (a, b) -> a));
        List<Label> labels = modelSpec.task().labels();
        int k = predictions.outputs();
        int side = modelSpec.imageSize();
        List<Plots.HeatmapItem> items = new ArrayList<>();
        for (HeatmapSelection.Pick pick : picks) {
            DatasetSample sample = samples.get(predictions.uids().get(pick.slice()));
            if (sample == null) continue;
            float[] image = PlanarImage.fromPng(sample.png()).data();
            float[][] cam = explainer.gradCam().compute(image, 1, GradCam.label(pick.output())).cams()[0];
            items.add(new Plots.HeatmapItem(HeatmapOverlay.render(cam, HeatmapOverlay.channel(image, explainer.greyChannel(), side, side)),
                    labels.get(pick.output()).csvName(), predictions.probabilities()[pick.slice() * k + pick.output()],
                    predictions.targets()[pick.slice() * k + pick.output()]));
        }
        return items;
    }
}
