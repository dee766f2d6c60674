package dev.ich.training.models;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.Events;
import dev.ich.core.event.ModelPublished;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;
import dev.ich.runtime.problem.ApiProblem;
import dev.ich.training.TrainingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The models the trainer stored ({@code models/<name>/v<N>/model.json}) and the one serving
 * ({@code models/serving.json}). Promotion writes the pointer, then announces it on {@code models-published}; it is
 * refused when the version's preprocessing pipeline is not the current one (docs/training-api.md, "Promotion").
 */
@ApplicationScoped
public class ModelRegistry {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Inject
    ObjectStore store;

    @Inject
    TrainingConfig config;

    @Inject
    ModelPublisher publisher;

    public List<Model> list() {
        Map<String, List<ModelVersion>> byName = new TreeMap<>();
        Optional<ModelPublished> serving = serving();
        for (StoredObject o : store.list("models/")) {
            String[] parts = o.key().split("/");
            if (parts.length != 4 || !parts[3].equals("model.json")) continue;
            byName.computeIfAbsent(parts[1], n -> new ArrayList<>()).add(version(parts[1], parts[2], serving));
        }
        List<Model> models = new ArrayList<>();
        byName.forEach((name, versions) -> models.add(model(name, versions, serving)));
        return models;
    }

    public Model get(String name) {
        try {
            ObjectKeys.requireName("model name", name);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        Optional<ModelPublished> serving = serving();
        List<ModelVersion> versions = new ArrayList<>();
        for (StoredObject o : store.list("models/" + name + "/")) {
            String[] parts = o.key().split("/");
            if (parts.length == 4 && parts[3].equals("model.json")) versions.add(version(name, parts[2], serving));
        }
        if (versions.isEmpty()) throw ApiProblem.notFound("no model " + name + ": nothing under models/" + name + "/");
        return model(name, versions, serving);
    }

    private static Model model(String name, List<ModelVersion> versions, Optional<ModelPublished> serving) {
        versions.sort(Comparator.comparingInt(v -> number(v.version())));
        return new Model(name, serving.filter(s -> s.name().equals(name)).map(ModelPublished::version).orElse(null), versions);
    }

    private static int number(String version) {
        try {
            return Integer.parseInt(version.substring(1));
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    private ModelVersion version(String name, String version, Optional<ModelPublished> serving) {
        JsonNode m = modelJson(name, version);
        Map<String, Object> metrics = Events.JSON.convertValue(m.path("metrics"), MAP);
        return new ModelVersion(name, version, text(m, "architecture"), text(m, "task"), m.hasNonNull("imageSize") ? m.get("imageSize").asInt() : null,
                text(m, "dataset"), text(m, "job"), metrics, m.path("preprocessing").path("pipeline").asText(null), text(m, "createdAt"),
                ObjectKeys.model(name, version), serving.map(s -> s.name().equals(name) && s.version().equals(version)).orElse(false),
                object(m, "operatingPoint"), object(m, "calibration"), object(m, "lineage"), text(m.path("lineage"), "sourceModel"));
    }

    private static Map<String, Object> object(JsonNode m, String field) {
        return m.path(field).isObject() ? Events.JSON.convertValue(m.get(field), MAP) : null;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private JsonNode modelJson(String name, String version) {
        String key;
        try {
            key = ObjectKeys.model(name, version) + "model.json";
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        if (store.stat(key).isEmpty()) throw ApiProblem.notFound("no model " + name + " " + version + ": " + key + " does not exist");
        try {
            return Events.JSON.readTree(store.get(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    public Optional<ModelPublished> serving() {
        if (store.stat(ObjectKeys.SERVING_MODEL).isEmpty()) return Optional.empty();
        try {
            return Optional.of(Events.JSON.readValue(store.get(ObjectKeys.SERVING_MODEL), ModelPublished.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ObjectKeys.SERVING_MODEL + ": " + e.getMessage(), e);
        }
    }

    /** The pipeline a promoted model must have been trained on, and where that rule comes from; empty: no rule yet. */
    public Optional<String[]> currentPipeline() {
        if (config.currentPipeline().isPresent()) {
            return Optional.of(new String[] {config.currentPipeline().get(), "ich.training.current-pipeline"});
        }
        return serving().filter(s -> s.preprocessing() != null && s.preprocessing().get("pipeline") != null)
                .map(s -> new String[] {String.valueOf(s.preprocessing().get("pipeline")),
                        "the serving model " + s.name() + " " + s.version() + " (" + ObjectKeys.SERVING_MODEL + ")"});
    }

    /**
     * Promotes the version: refused (409) when its pipeline is not the current one, and when the promotion gate finds
     * it worse than the serving model beyond the tolerance unless {@code overrideReason} is given; then the override
     * ({@code overrideReason}, {@code by} and what the gate found) is recorded in serving.json and the event.
     */
    public ModelPublished promote(String name, String version, String overrideReason, String by) throws Exception {
        JsonNode m = modelJson(name, version);
        String pipeline = m.path("preprocessing").path("pipeline").asText(null);
        Optional<String[]> current = currentPipeline();
        if (pipeline == null) {
            throw ApiProblem.conflict("model " + name + " " + version + " records no preprocessing pipeline in its model.json: serving "
                    + "could not feed it the pixels it was trained on");
        }
        if (current.isPresent() && !current.get()[0].equals(pipeline)) {
            throw ApiProblem.conflict("model " + name + " " + version + " was trained on images of pipeline " + pipeline
                    + ", but the current pipeline is " + current.get()[0] + " (from " + current.get()[1] + "): serving would feed it "
                    + "other pixels than it learnt from. Train on a dataset of pipeline " + current.get()[0]
                    + ", or, when cleaning has moved to " + pipeline + ", set ich.training.current-pipeline=" + pipeline);
        }
        ModelPublished.GateOverride override = null;
        Optional<ModelPublished> serving = serving();
        List<String> failed = serving.map(s -> gate(name, version, m, s)).orElse(List.of());
        if (!failed.isEmpty()) {
            ModelPublished s = serving.get();
            if (overrideReason == null) {
                throw new ApiProblem(409, GATE_FAILED, "model " + name + " " + version + " is worse than the serving model " + s.name() + " "
                        + s.version() + " by more than the tolerance " + tolerance() + " (ich.training.promotion.tolerance) on "
                        + String.join("; ", failed) + ". Metrics and labels only one of the two models records are not compared. "
                        + "To serve it anyway, POST {\"override\": {\"reason\": \"...\"}}: the reason is recorded with the promotion "
                        + "and in the audit trail");
            }
            override = new ModelPublished.GateOverride(overrideReason, by, failed);
        }
        Map<String, Object> preprocessing = Events.JSON.convertValue(m.path("preprocessing"), MAP);
        ModelPublished published = new ModelPublished(name, version, ObjectKeys.model(name, version),
                m.has("metrics") ? Events.JSON.convertValue(m.get("metrics"), MAP) : new LinkedHashMap<>(), text(m, "dataset"),
                preprocessing, Instant.now(), override);
        // The pointer first: it is the truth a service starting later reads; the event only nudges running ones.
        store.put(ObjectKeys.SERVING_MODEL, Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(published), "application/json",
                Map.of());
        publisher.publish(published);
        return published;
    }

    /** The version's model card, from its model.json. */
    public ModelCard card(String name, String version) {
        JsonNode m = modelJson(name, version);
        return ModelCard.of(name, version, serving().map(s -> s.name().equals(name) && s.version().equals(version)).orElse(false), m,
                datasetSource(m.hasNonNull("dataset") ? m.get("dataset").asText() : m.path("lineage").path("dataset").asText(null)));
    }

    /** The dataset's {@code spec.source} from its dataset.json, or null when the id is not name@version or nothing is there. */
    private String datasetSource(String dataset) {
        if (dataset == null || !dataset.contains("@")) return null;
        String key;
        try {
            key = ObjectKeys.datasetJson(dataset.substring(0, dataset.indexOf('@')), dataset.substring(dataset.indexOf('@') + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (store.stat(key).isEmpty()) return null;
        try {
            return Events.JSON.readTree(store.get(key)).path("spec").path("source").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The problem code of a promotion the gate refused. */
    public static final String GATE_FAILED = "PromotionGateFailed";

    private double tolerance() {
        double t = config.promotion().tolerance();
        if (!(t >= 0 && t <= 1)) {
            throw ApiProblem.unavailable("MisconfiguredPromotionGate", "ich.training.promotion.tolerance is " + t
                    + ": it must be in [0, 1] (an absolute difference of AUC or sensitivity)");
        }
        return t;
    }

    /**
     * What makes the candidate worse than the serving model beyond the tolerance: each label's validation AUC
     * ({@code metrics.auc_<label>}) and operating-point sensitivity ({@code operatingPoint.<label>.sensitivity}), compared
     * only where both models record a finite number. The serving model's model.json is the reference; when it is gone,
     * the metrics its serving.json copied (no operating point then). Re-promoting the serving version compares nothing.
     */
    List<String> gate(String name, String version, JsonNode candidate, ModelPublished serving) {
        if (serving.name().equals(name) && serving.version().equals(version)) return List.of();
        JsonNode reference = servingModelJson(serving);
        double tolerance = tolerance();
        List<String> failed = new ArrayList<>();
        candidate.path("metrics").fields().forEachRemaining(e -> {
            if (!e.getKey().startsWith("auc_")) return;
            compare("metrics." + e.getKey(), e.getValue(), reference.path("metrics").path(e.getKey()), tolerance, failed);
        });
        JsonNode referencePoints = pointsByLabel(reference);
        pointsByLabel(candidate).fields().forEachRemaining(e -> {
            if (!e.getValue().isObject()) return;
            compare("operatingPoint." + e.getKey() + ".sensitivity", e.getValue().path("sensitivity"),
                    referencePoints.path(e.getKey()).path("sensitivity"), tolerance, failed);
        });
        return failed;
    }

    /**
     * The per-label operating points of a model.json: under {@code operatingPoint.labels} as the trainer writes them
     * (beside {@code targetSensitivity} and {@code chosenOn}), or directly under {@code operatingPoint} in older files.
     */
    static JsonNode pointsByLabel(JsonNode model) {
        JsonNode point = model.path("operatingPoint");
        return point.path("labels").isObject() ? point.path("labels") : point;
    }

    private static void compare(String metric, JsonNode candidate, JsonNode serving, double tolerance, List<String> failed) {
        if (!candidate.isNumber() || !serving.isNumber()) return;
        double c = candidate.asDouble(), s = serving.asDouble();
        if (!Double.isFinite(c) || !Double.isFinite(s)) return;
        // a hair of slack for decimal fractions: 0.88 against 0.90 at tolerance 0.02 is within it
        if (c < s - tolerance - 1e-9) {
            failed.add(String.format(java.util.Locale.ROOT, "%s %.4f vs %.4f serving", metric, c, s));
        }
    }

    private JsonNode servingModelJson(ModelPublished serving) {
        String key = ObjectKeys.model(serving.name(), serving.version()) + "model.json";
        if (store.stat(key).isPresent()) {
            try {
                return Events.JSON.readTree(store.get(key));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + key + ": " + e.getMessage(), e);
            }
        }
        return Events.JSON.createObjectNode().set("metrics", Events.JSON.valueToTree(serving.metrics() == null ? Map.of() : serving.metrics()));
    }
}
