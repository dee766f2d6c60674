package dev.ich.inference;

import dev.ich.core.training.Schedule;
import dev.ich.core.training.Optimizer;

import dev.ich.core.augment.PlanarImage;
import dev.ich.core.clean.CleanedSlice;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.clean.PipelineConfig;
import dev.ich.core.clean.PipelineVersion;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.event.Events;
import dev.ich.core.event.ModelPublished;
import dev.ich.core.label.Label;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.training.Architecture;
import dev.ich.core.training.Task;
import dev.ich.model.Batch;
import dev.ich.model.BatchSource;
import dev.ich.model.Classifier;
import dev.ich.model.FitListener;
import dev.ich.model.FitPlan;
import dev.ich.model.Learner;
import dev.ich.model.ModelSpec;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.S3TestResource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real model for the tests: phantom studies cleaned by core's pipeline at 64 px, a ResNet-18 trained on them for a
 * tiny budget (v1), trained one epoch more (v2: other weights, other answers), each stored as the trainer stores a
 * model version (weights/, then model.json with the preprocessing spec), and promoted as training's promote does
 * (models/serving.json, then a models-published event). Built once per test JVM.
 */
final class PhantomModels {
    static final String NAME = "phantom-any";
    static final int SIZE = 64;
    static final PipelineConfig PIPELINE = PipelineConfig.defaults().withSize(SIZE);

    private static PhantomModels instance;

    final PhantomSet phantoms;
    private final Map<String, Path> weights = new HashMap<>();
    private final Map<String, Classifier> reference = new HashMap<>();

    private PhantomModels(PhantomSet phantoms) {
        this.phantoms = phantoms;
    }

    static synchronized PhantomModels get() throws Exception {
        if (instance == null) instance = build();
        return instance;
    }

    private static PhantomModels build() throws Exception {
        Path dir = Files.createTempDirectory("ich-inference-models");
        PhantomSet set = new PhantomGenerator(PhantomOptions.of(2, 11).withSlicesPerStudy(16).withPositiveRate(0.3))
                .generate(dir.resolve("phantoms"));
        PhantomModels models = new PhantomModels(set);
        CleaningPipeline pipeline = new CleaningPipeline(PIPELINE);
        DicomReader reader = DicomReader.create();
        List<String> uids = new ArrayList<>();
        List<float[]> images = new ArrayList<>();
        List<Float> targets = new ArrayList<>();
        for (SliceTruth t : set.slices()) {
            CleanedSlice c = pipeline.clean(reader.read(t.file()));
            if (!c.kept()) continue;
            uids.add(t.sopInstanceUid());
            images.add(PlanarImage.fromPng(c.png()).data());
            targets.add(t.has(Label.ANY) ? 1f : 0f);
        }
        BatchSource train = batches(uids, images, targets, 8, 2);
        try (Learner learner = Learner.create(new ModelSpec(Architecture.RESNET18, Task.ANY, 3, SIZE, 0.25), 7)) {
            FitPlan plan = new FitPlan(0, 1, 1e-2, 1e-2, Schedule.CONSTANT, Optimizer.SGD, 0);
            learner.fit(plan, train, train, 0, new FitListener() {
            });
            learner.save(dir.resolve("v1"));
            learner.fit(plan, train, train, 0, new FitListener() {
            });
            learner.save(dir.resolve("v2"));
        }
        models.weights.put("v1", dir.resolve("v1"));
        models.weights.put("v2", dir.resolve("v2"));
        return models;
    }

    private static BatchSource batches(List<String> uids, List<float[]> images, List<Float> targets, int size, int count) {
        int floats = images.get(0).length;
        List<Batch> batches = new ArrayList<>();
        for (int b = 0; b < count && b * size < uids.size(); b++) {
            int from = b * size, to = Math.min(uids.size(), from + size);
            float[] x = new float[(to - from) * floats];
            float[] y = new float[to - from];
            for (int i = from; i < to; i++) {
                System.arraycopy(images.get(i), 0, x, (i - from) * floats, floats);
                y[i - from] = targets.get(i);
            }
            batches.add(new Batch(uids.subList(from, to), x, y, 3, SIZE, SIZE));
        }
        return BatchSource.of(batches);
    }

    /** Writes models/NAME/version/ as services/trainer's Artefacts.saveModel does. */
    void store(String version) throws Exception {
        ObjectStore store = S3TestResource.store();
        String prefix = ObjectKeys.model(NAME, version);
        try (Stream<Path> files = Files.list(weights.get(version))) {
            for (Path f : files.toList()) store.putFile(prefix + "weights/" + f.getFileName(), f, "application/octet-stream");
        }
        store.put(prefix + "model.json", Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(modelJson(version)),
                "application/json", Map.of());
    }

    /** The threshold the test versions are promoted with (model.json's operatingPoint): the study triage calls at it. */
    static final double THRESHOLD = 0.5;

    /** A version trained before ich recorded operating points: model.json without the block. */
    void storeWithoutOperatingPoint(String version) throws Exception {
        weights.putIfAbsent(version, weights.get("v1"));
        store(version);
        Map<String, Object> model = modelJson(version);
        model.remove("operatingPoint");
        S3TestResource.store().put(ObjectKeys.model(NAME, version) + "model.json", Events.JSON.writeValueAsBytes(model), "application/json",
                Map.of());
    }

    /** A version with v1's weights whose model.json has {@code calibration} (as the trainer writes it: temperature per label). */
    void storeWithCalibration(String version, Map<String, Object> calibration) throws Exception {
        weights.putIfAbsent(version, weights.get("v1"));
        store(version);
        Map<String, Object> model = modelJson(version);
        model.put("calibration", calibration);
        S3TestResource.store().put(ObjectKeys.model(NAME, version) + "model.json", Events.JSON.writeValueAsBytes(model), "application/json",
                Map.of());
    }

    /** A version whose model.json records a pipeline version its configuration does not hash to. */
    void storeWithOtherPipelineHash(String version) throws Exception {
        weights.putIfAbsent(version, weights.get("v1"));
        store(version);
        Map<String, Object> model = modelJson(version);
        Map<String, Object> preprocessing = new LinkedHashMap<>(preprocessing());
        preprocessing.put("pipeline", "p000000000000");
        model.put("preprocessing", preprocessing);
        S3TestResource.store().put(ObjectKeys.model(NAME, version) + "model.json", Events.JSON.writeValueAsBytes(model), "application/json",
                Map.of());
    }

    static Map<String, Object> modelJson(String version) throws Exception {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", NAME);
        model.put("version", version);
        model.put("architecture", "resnet18");
        model.put("task", "any");
        model.put("labels", List.of("any"));
        model.put("channels", 3);
        model.put("imageSize", SIZE);
        model.put("dropout", 0.25);
        model.put("dataset", "phantom@v1");
        model.put("metrics", Map.of());
        model.put("weights", ObjectKeys.model(NAME, version) + "weights/");
        model.put("operatingPoint", Map.of("targetSensitivity", 0.95, "chosenOn", "validation",
                "labels", Map.of("any", Map.of("threshold", THRESHOLD, "method", "fixed for the tests"))));
        model.put("preprocessing", preprocessing());
        model.put("createdAt", Instant.now().toString());
        return model;
    }

    static Map<String, Object> preprocessing() throws Exception {
        Map<String, Object> preprocessing = new LinkedHashMap<>();
        preprocessing.put("pipeline", PIPELINE.version().id());
        preprocessing.put("config", Events.JSON.readTree(PipelineVersion.canonicalJson(PIPELINE)));
        preprocessing.put("input", "PNG channels scaled to [0,1], channel-first; no mean/std normalisation");
        return preprocessing;
    }

    /** Training's promote: the pointer first, then the event. */
    static void promote(String version) throws Exception {
        ModelPublished event = new ModelPublished(NAME, version, ObjectKeys.model(NAME, version), Map.of(), "phantom@v1",
                preprocessing(), Instant.now());
        S3TestResource.store().put(ObjectKeys.SERVING_MODEL, Events.JSON.writeValueAsBytes(event), "application/json", Map.of());
        try (TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            producer.sendJson(Topics.MODELS_PUBLISHED, NAME, event);
        }
    }

    /** What the version should answer for a slice, computed the training way: the pipeline's PNG, over 255, the network. */
    synchronized float expected(String version, SliceTruth slice) throws Exception {
        Classifier c = reference.get(version);
        if (c == null) {
            c = Classifier.load(weights.get(version));
            reference.put(version, c);
        }
        CleanedSlice cleaned = new CleaningPipeline(PIPELINE).clean(DicomReader.create().read(slice.file()));
        // A slice the rule drops has no PNG in training; serving answers it from the same pipeline without the rule.
        if (!cleaned.kept()) cleaned = new CleaningPipeline(PIPELINE.withDropThreshold(0)).clean(DicomReader.create().read(slice.file()));
        return c.probabilities(PlanarImage.fromPng(cleaned.png()).data(), 1)[0];
    }

    /** A slice the brain-window rule keeps, and one it drops (above the vertex). */
    SliceTruth kept() {
        return phantoms.slices().stream().filter(s -> s.brainWindowFraction() > 0.2).findFirst().orElseThrow();
    }

    SliceTruth dropped() {
        return phantoms.slices().stream().filter(s -> s.brainWindowFraction() < 0.005).findFirst().orElseThrow();
    }

    List<SliceTruth> study(int index) {
        return phantoms.slices().stream().filter(s -> s.studyIndex() == index).toList();
    }

    static byte[] bytes(SliceTruth s) {
        try {
            return Files.readAllBytes(s.file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
