package dev.ich.inference.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.dicom.SliceAdmission;
import dev.ich.core.event.Events;
import dev.ich.core.event.StudyPredicted.OperatingPoint;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;
import dev.ich.model.Classifier;
import dev.ich.model.ModelSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a model version in storage ({@code models/<name>/v<N>/model.json} and {@code weights/}, as the trainer
 * writes them) into a {@link ServedModel}: weights downloaded, the preprocessing rebuilt and checked, one
 * {@link Classifier} per predictor, each warmed up with a full batch so the first real requests after a swap are
 * not the slow ones, and one more for Grad-CAM explanations; the version's calibration (temperatures per label) is
 * applied by its batcher to every probability it answers. Any inconsistency is a {@link ModelLoadException}
 * naming it; nothing half-loaded is served.
 */
public final class ModelLoader {
    private final ObjectStore store;
    private final SliceAdmission admission;
    private final Path work;
    private final int predictors;
    private final int maxBatch;
    private final Duration maxWait;
    private final int queueCapacity;
    private final Batcher.Cores cores;
    private final Batcher.Listener listener;

    public ModelLoader(ObjectStore store, SliceAdmission admission, Path work, int predictors, int maxBatch, Duration maxWait, int queueCapacity,
                       Batcher.Cores cores, Batcher.Listener listener) {
        this.store = store;
        this.admission = admission;
        this.work = work;
        this.predictors = predictors;
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.queueCapacity = queueCapacity;
        this.cores = cores;
        this.listener = listener;
    }

    /** {@code artifactKey}: {@code models/<name>/<version>/}. */
    public ServedModel load(String artifactKey) {
        String prefix = artifactKey.endsWith("/") ? artifactKey : artifactKey + "/";
        JsonNode model;
        try {
            if (store.stat(prefix + "model.json").isEmpty()) {
                throw new ModelLoadException("no " + prefix + "model.json: the version is missing or not completely written");
            }
            model = Events.JSON.readTree(store.get(prefix + "model.json"));
        } catch (IOException e) {
            throw new ModelLoadException(prefix + "model.json is not JSON: " + e.getMessage());
        }
        String name = model.path("name").asText(null);
        String version = model.path("version").asText(null);
        if (name == null || version == null) throw new ModelLoadException(prefix + "model.json names no model name and version");
        List<String> labels = new ArrayList<>();
        model.path("labels").forEach(l -> labels.add(l.asText()));
        refuseUnservable(name + "/" + version, model);
        Preprocessing preprocessing;
        try {
            preprocessing = Preprocessing.of(model.get("preprocessing"), admission);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(name + "/" + version + ": " + e.getMessage());
        }
        Path dir = download(model.path("weights").asText(prefix + "weights/"), name, version);
        List<Classifier> loaded = new ArrayList<>();
        try {
            for (int i = 0; i < predictors; i++) loaded.add(Classifier.load(dir));
            ModelSpec spec = loaded.get(0).spec();
            check(name + "/" + version, spec, labels, model, preprocessing);
            float[] zeros = new float[maxBatch * spec.channels() * spec.imageSize() * spec.imageSize()];
            TorchThreads.useBusy();
            for (Classifier c : loaded) c.probabilities(zeros, maxBatch);
            // Last in the list: Grad-CAM's copy, never handed to the batcher.
            loaded.add(Classifier.load(dir));
            Classifier explainer = loaded.get(loaded.size() - 1);
            double[] temperatures = temperatures(name + "/" + version, model, labels);
            Batcher batcher = new Batcher(name + "-" + version, loaded.subList(0, predictors), maxBatch, maxWait, queueCapacity, cores, listener,
                    temperatures);
            return new ServedModel(name, version, prefix, labels, spec, preprocessing, batcher, explainer,
                    operatingPoint(name + "/" + version, model, labels), temperatures);
        } catch (IOException | RuntimeException e) {
            loaded.forEach(Classifier::close);
            if (e instanceof ModelLoadException m) throw m;
            throw new ModelLoadException(name + "/" + version + ": cannot load the weights: " + e.getMessage());
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * Serving cleans and scores one slice at a time, so it cannot give a 2.5D model its neighbours (docs/inference.md,
     * "Limitations") nor a study head a whole study; loading either would answer with inputs it never learned from.
     */
    static void refuseUnservable(String model, JsonNode json) {
        if ("study-head".equals(json.path("kind").asText(null))) {
            throw new ModelLoadException(model + " is a study-head model (a sequence head over the slices of a study, on "
                    + json.path("sourceModel").asText("a slice model") + "'s features): inference scores single slices; serve its source model");
        }
        int context = json.path("preprocessing").path("context").asInt(0);
        if (context > 0) {
            throw new ModelLoadException(model + " was trained on 2.5D input (context " + context + ": " + context + " neighbour slice(s) each side as"
                    + " channels); inference cleans each slice alone and cannot assemble its neighbours: serve a model trained with context 0");
        }
    }

    /** One more copy of a version's network, outside serving (the raw forward benchmark). */
    public Classifier loadClassifier(String artifactKey, String name, String version) {
        String prefix = artifactKey.endsWith("/") ? artifactKey : artifactKey + "/";
        Path dir = download(prefix + "weights/", name, version);
        try {
            return Classifier.load(dir);
        } catch (IOException e) {
            throw new ModelLoadException(name + "/" + version + ": cannot load the weights: " + e.getMessage());
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * model.json's {@code operatingPoint.labels.<label>.threshold} for every label, or null when the block is absent
     * (older versions). A block that misses a label or holds a threshold outside 0..1 is refused: calls at a wrong
     * threshold would be worse than no calls.
     */
    static OperatingPoint operatingPoint(String what, JsonNode model, List<String> labels) {
        JsonNode block = model.get("operatingPoint");
        if (block == null || block.isNull()) return null;
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (String label : labels) {
            JsonNode t = block.path("labels").path(label).path("threshold");
            if (!t.isNumber() || t.asDouble() < 0 || t.asDouble() > 1) {
                throw new ModelLoadException(what + ": model.json's operatingPoint has no threshold in 0..1 for " + label);
            }
            thresholds.put(label, t.asDouble());
        }
        String chosenBy = block.hasNonNull("targetSensitivity")
                ? "sensitivity >= " + block.get("targetSensitivity").asText() + " on " + block.path("chosenOn").asText("validation")
                : block.path("chosenOn").asText("recorded in model.json");
        return new OperatingPoint(thresholds, chosenBy);
    }

    /**
     * model.json's {@code calibration.temperature.<label>} for every label, in label order, or null when the block is
     * absent (versions trained before ich calibrated: their probabilities are served as the network gives them). A block
     * that misses a label or holds a temperature that is not a positive number is refused, as a bad operating point is.
     */
    static double[] temperatures(String what, JsonNode model, List<String> labels) {
        JsonNode block = model.get("calibration");
        if (block == null || block.isNull()) return null;
        double[] temperatures = new double[labels.size()];
        for (int k = 0; k < labels.size(); k++) {
            JsonNode t = block.path("temperature").path(labels.get(k));
            if (!t.isNumber() || !(t.asDouble() > 0) || Double.isInfinite(t.asDouble())) {
                throw new ModelLoadException(what + ": model.json's calibration has no positive temperature for " + labels.get(k));
            }
            temperatures[k] = t.asDouble();
        }
        return temperatures;
    }

    private static void check(String what, ModelSpec spec, List<String> labels, JsonNode model, Preprocessing preprocessing) {
        if (labels.size() != spec.task().outputs()) {
            throw new ModelLoadException(what + ": model.json lists " + labels.size() + " labels, the network has " + spec.task().outputs()
                    + " outputs");
        }
        if (model.has("imageSize") && model.get("imageSize").asInt() != spec.imageSize()) {
            throw new ModelLoadException(what + ": model.json says imageSize " + model.get("imageSize") + ", the weights " + spec.imageSize());
        }
        var c = preprocessing.config();
        if (c.size() != spec.imageSize() || c.channels().size() != spec.channels()) {
            throw new ModelLoadException(what + ": pipeline " + preprocessing.version() + " makes " + c.channels().size() + " x " + c.size()
                    + " px images, the network takes " + spec.channels() + " x " + spec.imageSize());
        }
    }

    private Path download(String weightsPrefix, String name, String version) {
        String prefix = weightsPrefix.endsWith("/") ? weightsPrefix : weightsPrefix + "/";
        try {
            Files.createDirectories(work);
            Path dir = Files.createTempDirectory(work, name + "-" + version + "-");
            int files = 0;
            for (StoredObject o : store.list(prefix)) {
                Path target = dir.resolve(o.key().substring(prefix.length())).normalize();
                if (!target.startsWith(dir)) throw new ModelLoadException("weight file " + o.key() + " escapes its folder");
                Files.createDirectories(target.getParent());
                Files.write(target, store.get(o.key()));
                files++;
            }
            if (files == 0) throw new ModelLoadException(name + "/" + version + ": no weights under " + prefix);
            return dir;
        } catch (IOException e) {
            throw new ModelLoadException(name + "/" + version + ": cannot download the weights: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary folder, nothing more
        }
    }

    /** A model version that cannot be served, and why. */
    public static final class ModelLoadException extends RuntimeException {
        public ModelLoadException(String reason) {
            super(reason);
        }
    }
}
