package dev.ich.training;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.Events;
import dev.ich.core.storage.ObjectStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * model.json files as the trainer writes them (services/trainer Artefacts.saveModel), put into the test bucket, with
 * or without the calibration and lineage blocks newer trainers add; and the serving pointer, which every test class of
 * the module shares (one bucket), set aside and put back so a test's promotions do not gate another's.
 */
final class ModelFixtures {
    static final String PIPELINE = "p0000000000ae";

    private ModelFixtures() {
    }

    /** A two-label model: AUC per label, an operating point per label, optionally calibration and lineage. */
    static Map<String, Object> model(String name, double aucAny, double aucEpidural, double sensitivityAny, boolean calibrated) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("version", "v1");
        m.put("architecture", "resnet18");
        m.put("task", "multilabel");
        m.put("labels", List.of("any", "epidural"));
        m.put("channels", 3);
        m.put("imageSize", 64);
        m.put("dataset", "gate-phantoms@v1");
        m.put("labelsVersion", 3);
        m.put("job", name + "-job");
        m.put("metrics", Map.of("train_loss", 0.21, "valid_loss", 0.33, "accuracy", 0.87, "auc_any", aucAny, "auc_epidural", aucEpidural,
                "weighted_log_loss", 0.41));
        m.put("operatingPoint", Map.of(
                "any", Map.of("threshold", 0.37, "method", "highest specificity with sensitivity >= 0.90", "sensitivity", sensitivityAny,
                        "sensitivityCi", List.of(sensitivityAny - 0.07, Math.min(1.0, sensitivityAny + 0.04)), "specificity", 0.71,
                        "specificityCi", List.of(0.64, 0.77), "positives", 52, "negatives", 148),
                "epidural", Map.of("threshold", 0.22, "method", "highest specificity with sensitivity >= 0.90", "sensitivity", 0.83,
                        "sensitivityCi", List.of(0.55, 0.95), "specificity", 0.66, "specificityCi", List.of(0.59, 0.72), "positives", 12,
                        "negatives", 188),
                "target", 0.90));
        m.put("preprocessing", Map.of("pipeline", PIPELINE, "config", Map.of("size", 64), "input", "3 windows"));
        m.put("createdAt", "2026-11-30T10:00:00Z");
        if (calibrated) {
            m.put("calibration", Map.of(
                    "method", "temperature scaling per label, fitted on the validation split by minimising log loss",
                    "temperature", Map.of("any", 1.31, "epidural", 0.92),
                    "ece", Map.of("before", Map.of("any", 0.081, "epidural", 0.112), "after", Map.of("any", 0.024, "epidural", 0.047)),
                    "bins", 10,
                    "reliability", Map.of("any", List.of(Map.of("lower", 0.0, "upper", 0.1, "count", 40, "meanPredicted", 0.04, "observed", 0.05)))));
            m.put("lineage", Map.of("dataset", "gate-phantoms@v1", "datasetDigest", "sha256:" + "ab".repeat(32), "pipeline", PIPELINE,
                    "labelsVersion", 3, "job", name + "-job", "spec", Map.of("epochs", 2, "lr", 0.01),
                    "code", Map.of("version", "0.1.0-SNAPSHOT", "commit", "0123456789abcdef0123456789abcdef01234567")));
        }
        return m;
    }

    static void put(ObjectStore store, Map<String, Object> model) throws Exception {
        store.put(ObjectKeys.model((String) model.get("name"), (String) model.get("version")) + "model.json",
                Events.JSON.writeValueAsBytes(model), "application/json", Map.of());
    }

    /** Removes models/serving.json, returning what it held (null: nothing served). */
    static byte[] setServingAside(ObjectStore store) {
        if (store.stat(ObjectKeys.SERVING_MODEL).isEmpty()) return null;
        byte[] before = store.get(ObjectKeys.SERVING_MODEL);
        store.delete(ObjectKeys.SERVING_MODEL);
        return before;
    }

    static void putServingBack(ObjectStore store, byte[] before) {
        if (before == null) store.delete(ObjectKeys.SERVING_MODEL);
        else store.put(ObjectKeys.SERVING_MODEL, before, "application/json", Map.of());
    }
}
