package dev.ich.model;

import dev.ich.core.label.Label;
import dev.ich.core.metric.Auc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The validation predictions broken down by subgroup (a sample's metadata, {@link dev.ich.core.dataset.SampleMetadata}:
 * scanner group, sex, age band): per group and label the slices, the positives, the AUC where the group has both
 * classes, and the sensitivity and specificity at the model's operating point with their 95 % intervals. A model
 * that is good on average can miss bleeds on one scanner; this is where that shows. A key only some slices carry puts
 * the others under {@value #NOT_RECORDED}; a key no slice carries is absent.
 */
public final class SubgroupMetrics {
    public static final String NOT_RECORDED = "not recorded";

    private SubgroupMetrics() {
    }

    /**
     * One label in one group.
     *
     * @param auc   null when the group has only one class of the label
     * @param point the model's threshold applied to the group's slices
     */
    public record Row(String key, String value, int count, String label, int positives, Double auc, OperatingPoints.Point point) {
    }

    /**
     * @param predictions the (calibrated) validation predictions, in the labels' output order
     * @param metadata    each slice's metadata by uid; a slice missing here has none
     * @param points      the operating point per label ({@link Label#csvName()}) the thresholds come from
     */
    public static List<Row> of(Predictions predictions, Map<String, Map<String, String>> metadata, Map<String, OperatingPoints.Point> points) {
        int n = predictions.uids().size();
        TreeSet<String> keys = new TreeSet<>();
        for (String uid : predictions.uids()) keys.addAll(metadata.getOrDefault(uid, Map.of()).keySet());
        List<Label> labels = Metrics.labels(predictions.outputs());
        List<Row> rows = new ArrayList<>();
        for (String key : keys) {
            Map<String, List<Integer>> members = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                String value = metadata.getOrDefault(predictions.uids().get(i), Map.of()).getOrDefault(key, NOT_RECORDED);
                members.computeIfAbsent(value, v -> new ArrayList<>()).add(i);
            }
            members.forEach((value, slices) -> {
                for (int k = 0; k < labels.size(); k++) {
                    String label = labels.get(k).csvName();
                    float[] scores = new float[slices.size()];
                    float[] targets = new float[slices.size()];
                    for (int j = 0; j < slices.size(); j++) {
                        scores[j] = predictions.probabilities()[slices.get(j) * predictions.outputs() + k];
                        targets[j] = predictions.targets()[slices.get(j) * predictions.outputs() + k];
                    }
                    OperatingPoints.Point model = points.get(label);
                    OperatingPoints.Point at = OperatingPoints.at(scores, targets, model == null ? 0.5 : model.threshold(),
                            model == null ? "0.5: no operating point" : "the model's operating point");
                    boolean both = at.positives() > 0 && at.negatives() > 0;
                    rows.add(new Row(key, value, slices.size(), label, at.positives(), both ? Auc.of(scores, targets) : null, at));
                }
            });
        }
        return rows;
    }

    /**
     * model.json's {@code metrics.subgroups}: {@code {key: {value: {count, labels: {label: {positives, auc, threshold,
     * sensitivity, sensitivityCi95, specificity, specificityCi95, ...}}}}}}.
     */
    public static Map<String, Object> json(List<Row> rows) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Row r : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> byValue = (Map<String, Object>) out.computeIfAbsent(r.key(), k -> new LinkedHashMap<String, Object>());
            @SuppressWarnings("unchecked")
            Map<String, Object> group = (Map<String, Object>) byValue.computeIfAbsent(r.value(), v -> {
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("count", r.count());
                g.put("labels", new LinkedHashMap<String, Object>());
                return g;
            });
            Map<String, Object> label = new LinkedHashMap<>();
            label.put("positives", r.positives());
            if (r.auc() != null) label.put("auc", r.auc());
            Map<String, Object> point = OperatingPoints.json(r.point());
            point.remove("positives");
            point.remove("method");
            label.putAll(point);
            @SuppressWarnings("unchecked")
            Map<String, Object> labels = (Map<String, Object>) group.get("labels");
            labels.put(r.label(), label);
        }
        return out;
    }
}
