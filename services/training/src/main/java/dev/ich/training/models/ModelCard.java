package dev.ich.training.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.event.Events;
import dev.ich.core.html.HtmlPages;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model version's card (after Mitchell et al., "Model Cards for Model Reporting"), drawn only from what its
 * model.json records: intended use, data and lineage, per-label validation metrics with their operating point and
 * confidence intervals, calibration when it was fitted, and the limitations that record supports. docs/training-api.md,
 * "Model card".
 *
 * @param serving     whether models/serving.json points at this version
 * @param otherMetrics the validation metrics that are not per label (accuracy, losses)
 * @param calibration absent when model.json has no calibration block
 * @param subgroups   the validation metrics per subgroup ({@code metrics.subgroups}), absent when none were recorded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(String name, String version, boolean serving, String architecture, String task, String createdAt,
                        IntendedUse intendedUse, Data data, List<LabelMetrics> metrics, Map<String, Object> otherMetrics,
                        Calibration calibration, List<SubgroupMetrics> subgroups, List<String> limitations) {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String SUBGROUPS = "subgroups";
    /** Below this many validation positives a label's AUC and sensitivity are called imprecise. */
    static final int FEW_POSITIVES = 30;

    /** What the model is for, and what not. */
    public record IntendedUse(String purpose, String users, List<String> outOfScope) {
    }

    /**
     * What it was trained on; {@code source} is the dataset's {@code spec.source} from its dataset.json ({@code phantoms}
     * for the trainer's phantom datasets), absent when that is not recorded; {@code lineage} is model.json's block as
     * stored, absent for older versions.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(String dataset, String source, Integer labelsVersion, String pipeline, List<String> labels, String job,
                       Map<String, Object> lineage) {
    }

    /** One label's validation AUC and operating point (absent: not recorded). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LabelMetrics(String label, Double auc, OperatingPoint operatingPoint) {
    }

    /** The threshold triage calls at, with validation sensitivity and specificity and their 95% intervals. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OperatingPoint(Double threshold, String method, Double sensitivity, List<Double> sensitivityCi, Double specificity,
                                 List<Double> specificityCi, Integer positives, Integer negatives) {
    }

    /** Per-label temperature and expected calibration error before and after. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Calibration(String method, Integer bins, List<LabelCalibration> labels) {
    }

    /** One label in one subgroup (a scanner group, a sex, an age band): its validation figures at the model's operating point. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubgroupMetrics(String group, String value, Integer count, String label, Integer positives, Double auc, Double threshold,
                                  Double sensitivity, List<Double> sensitivityCi, Double specificity, List<Double> specificityCi) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LabelCalibration(String label, Double temperature, Double eceBefore, Double eceAfter) {
    }

    static ModelCard of(String name, String version, boolean serving, JsonNode m, String datasetSource) {
        List<String> labels = new ArrayList<>();
        m.path("labels").forEach(l -> labels.add(l.asText()));
        if (labels.isEmpty()) {
            m.path("metrics").fieldNames().forEachRemaining(k -> {
                if (k.startsWith("auc_")) labels.add(k.substring(4));
            });
        }
        List<LabelMetrics> metrics = new ArrayList<>();
        for (String label : labels) {
            JsonNode op = ModelRegistry.pointsByLabel(m).path(label);
            metrics.add(new LabelMetrics(label, number(m.path("metrics").path("auc_" + label)), op.isObject()
                    ? new OperatingPoint(number(op.path("threshold")), text(op, "method"), number(op.path("sensitivity")), ci(op, "sensitivity"),
                    number(op.path("specificity")), ci(op, "specificity"), integer(op.path("positives")), integer(op.path("negatives")))
                    : null));
        }
        Map<String, Object> other = new LinkedHashMap<>();
        m.path("metrics").fields().forEachRemaining(e -> {
            if (!e.getKey().startsWith("auc_") && !e.getKey().equals(SUBGROUPS)) other.put(e.getKey(), Events.JSON.convertValue(e.getValue(), Object.class));
        });
        JsonNode lineage = m.path("lineage");
        Data data = new Data(text(m, "dataset") != null ? text(m, "dataset") : text(lineage, "dataset"), datasetSource,
                integer(m.path("labelsVersion")) != null ? integer(m.path("labelsVersion")) : integer(lineage.path("labelsVersion")),
                m.path("preprocessing").path("pipeline").asText(text(lineage, "pipeline")), labels,
                text(m, "job") != null ? text(m, "job") : text(lineage, "job"),
                lineage.isObject() ? Events.JSON.convertValue(lineage, MAP) : null);
        Calibration calibration = calibration(m.path("calibration"), labels);
        List<SubgroupMetrics> subgroups = subgroups(m.path("metrics").path(SUBGROUPS));
        return new ModelCard(name, version, serving, text(m, "architecture"), text(m, "task"), text(m, "createdAt"), intendedUseOfIch(), data,
                metrics, other, calibration, subgroups, limitations(data, metrics, calibration, subgroups));
    }

    /**
     * model.json's {@code metrics.subgroups} ({@code {group: {value: {count, labels: {label: {...}}}}}}) as rows, ordered by
     * group, value and label whatever order the file has (writers differ, and a reader compares cards); null when none.
     */
    private static List<SubgroupMetrics> subgroups(JsonNode groups) {
        List<SubgroupMetrics> rows = new ArrayList<>();
        groups.fields().forEachRemaining(g -> g.getValue().fields().forEachRemaining(v -> v.getValue().path("labels").fields()
                .forEachRemaining(l -> {
                    JsonNode x = l.getValue();
                    rows.add(new SubgroupMetrics(g.getKey(), v.getKey(), integer(v.getValue().path("count")), l.getKey(), integer(x.path("positives")),
                            number(x.path("auc")), number(x.path("threshold")), number(x.path("sensitivity")), ci(x, "sensitivity"),
                            number(x.path("specificity")), ci(x, "specificity")));
                })));
        rows.sort(Comparator.comparing(SubgroupMetrics::group).thenComparing(SubgroupMetrics::value).thenComparing(SubgroupMetrics::label));
        return rows.isEmpty() ? null : rows;
    }

    /** An interval as the trainer writes it ({@code <name>Ci95}) or as older files did ({@code <name>Ci}). */
    private static List<Double> ci(JsonNode point, String name) {
        List<Double> ci95 = interval(point.path(name + "Ci95"));
        return ci95 != null ? ci95 : interval(point.path(name + "Ci"));
    }

    private static IntendedUse intendedUseOfIch() {
        return new IntendedUse("Triage support for intracranial hemorrhage on non-contrast head CT: it scores each study so that "
                + "likely hemorrhages are read first, and flags studies above the operating point for a radiologist's read.",
                "Radiologists and the reading workflow (worklist ordering); every study is still read by a radiologist.",
                List.of("Diagnosis: it does not diagnose intracranial hemorrhage, and a negative result does not rule one out.",
                        "Contrast-enhanced CT, MRI, or anatomy other than the head.",
                        "Treatment decisions, or any use without a radiologist's read."));
    }

    private static Calibration calibration(JsonNode c, List<String> labels) {
        if (!c.isObject()) return null;
        List<String> names = new ArrayList<>(labels);
        c.path("temperature").fieldNames().forEachRemaining(l -> {
            if (!names.contains(l)) names.add(l);
        });
        List<LabelCalibration> rows = new ArrayList<>();
        for (String l : names) {
            Double t = number(c.path("temperature").path(l));
            Double before = number(c.path("ece").path("before").path(l));
            Double after = number(c.path("ece").path("after").path(l));
            if (t != null || before != null || after != null) rows.add(new LabelCalibration(l, t, before, after));
        }
        return new Calibration(text(c, "method"), integer(c.path("bins")), rows);
    }

    /** Only what the record supports: each statement follows from a field model.json has, or lacks. */
    private static List<String> limitations(Data data, List<LabelMetrics> metrics, Calibration calibration, List<SubgroupMetrics> subgroups) {
        List<String> out = new ArrayList<>();
        String dataset = data.dataset() == null ? "" : data.dataset().toLowerCase(Locale.ROOT);
        String source = data.source() == null ? "" : data.source().toLowerCase(Locale.ROOT);
        if (dataset.contains("phantom") || source.contains("phantom")) {
            out.add("Trained and validated on phantom (synthetic) head CT from dataset " + data.dataset() + ": a demonstration of the "
                    + "pipeline, with no evidence of performance on patients' scans.");
        }
        out.add("The metrics are on the validation split of " + (data.dataset() == null ? "its training dataset" : data.dataset())
                + " only, not on an external test set: performance on other sites, scanners, protocols or populations is not established.");
        if (subgroups != null) {
            List<String> groups = subgroups.stream().map(SubgroupMetrics::group).distinct().toList();
            out.add("Subgroups evaluated: " + String.join(", ", groups) + " (metrics by subgroup, above); no others (hemorrhage size or"
                    + " type mix, and age or sex where the headers did not record them) were.");
        } else {
            out.add("No subgroup (age, sex, scanner, hemorrhage size or type mix) was evaluated: model.json records none.");
        }
        List<String> few = new ArrayList<>(), noAuc = new ArrayList<>(), noOp = new ArrayList<>();
        for (LabelMetrics l : metrics) {
            if (l.auc() == null) noAuc.add(l.label());
            if (l.operatingPoint() == null) noOp.add(l.label());
            else if (l.operatingPoint().positives() != null && l.operatingPoint().positives() < FEW_POSITIVES) {
                few.add(l.label() + " (" + l.operatingPoint().positives() + ")");
            }
        }
        if (!few.isEmpty()) {
            out.add("Fewer than " + FEW_POSITIVES + " validation positives for " + String.join(", ", few)
                    + ": their AUC and sensitivity are imprecise; read the confidence intervals.");
        }
        if (!noAuc.isEmpty()) out.add("No validation AUC is recorded for " + String.join(", ", noAuc) + ".");
        if (!noOp.isEmpty()) {
            out.add("No operating point is recorded for " + String.join(", ", noOp) + ": no threshold was chosen on validation data.");
        }
        if (calibration == null) {
            out.add("Scores are not calibrated (model.json has no calibration block): read them as a ranking, not as probabilities.");
        }
        if (data.lineage() == null) {
            out.add("No lineage is recorded (dataset digest, job spec, code version): the training run cannot be reproduced from this record alone.");
        }
        return out;
    }

    private static Double number(JsonNode n) {
        return n.isNumber() && Double.isFinite(n.asDouble()) ? n.asDouble() : null;
    }

    private static Integer integer(JsonNode n) {
        return n.isIntegralNumber() ? n.asInt() : null;
    }

    private static List<Double> interval(JsonNode n) {
        if (!n.isArray() || n.size() != 2 || !n.get(0).isNumber() || !n.get(1).isNumber()) return null;
        return List.of(n.get(0).asDouble(), n.get(1).asDouble());
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    // ---- the page ----

    /** What the HTML template shows, every number already written as the page shows it. */
    public record Page(ModelCard card, String title, List<Row> metrics, List<Pair> other, List<CalibrationRow> calibration,
                       String calibrationMethod, List<Pair> lineage, List<SubgroupRow> subgroups) {
    }

    /** One label in one subgroup as shown. */
    public record SubgroupRow(String group, String value, String count, String label, String positives, String auc, String sensitivity,
                              String specificity) {
    }

    /** A name and its value as shown. */
    public record Pair(String name, String value) {
    }

    /** A label's calibration as shown. */
    public record CalibrationRow(String label, String temperature, String eceBefore, String eceAfter) {
    }

    /** A label's row on the page. */
    public record Row(String label, String auc, String threshold, String method, String sensitivity, String specificity, String counts) {
    }

    String html() {
        List<Row> rows = metrics.stream().map(l -> {
            OperatingPoint op = l.operatingPoint();
            return new Row(l.label(), num(l.auc()), op == null ? "—" : num(op.threshold()), op == null || op.method() == null ? "—" : op.method(),
                    op == null ? "—" : withCi(op.sensitivity(), op.sensitivityCi()), op == null ? "—" : withCi(op.specificity(), op.specificityCi()),
                    op == null ? "—" : (op.positives() == null ? "?" : op.positives()) + " / " + (op.negatives() == null ? "?" : op.negatives()));
        }).toList();
        List<Pair> other = new ArrayList<>();
        otherMetrics.forEach((k, v) -> other.add(new Pair(k, v instanceof Number n ? num(n.doubleValue()) : String.valueOf(v))));
        List<CalibrationRow> cal = new ArrayList<>();
        if (calibration != null) {
            for (LabelCalibration c : calibration.labels()) {
                cal.add(new CalibrationRow(c.label(), num(c.temperature()), num(c.eceBefore()), num(c.eceAfter())));
            }
        }
        List<Pair> lineage = new ArrayList<>();
        if (data.lineage() != null) {
            for (Iterator<Map.Entry<String, Object>> it = data.lineage().entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Object> e = it.next();
                Object v = e.getValue();
                String shown;
                try {
                    shown = v instanceof Map<?, ?> || v instanceof List<?> ? Events.JSON.writeValueAsString(v) : String.valueOf(v);
                } catch (Exception ex) {
                    shown = String.valueOf(v);
                }
                lineage.add(new Pair(e.getKey(), shown));
            }
        }
        List<SubgroupRow> groups = subgroups == null ? List.of() : subgroups.stream().map(g -> new SubgroupRow(g.group(), g.value(),
                g.count() == null ? "?" : g.count().toString(), g.label(), g.positives() == null ? "?" : g.positives().toString(), num(g.auc()),
                withCi(g.sensitivity(), g.sensitivityCi()), withCi(g.specificity(), g.specificityCi()))).toList();
        return HtmlPages.render("model-card.html", Map.of("page", new Page(this, "Model card: " + name + " " + version, rows, other, cal,
                calibration == null || calibration.method() == null ? "" : calibration.method()
                        + (calibration.bins() == null ? "" : "; ECE over " + calibration.bins() + " bins"), lineage, groups)));
    }

    private static String num(Double v) {
        return v == null ? "—" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String withCi(Double v, List<Double> ci) {
        if (v == null) return "—";
        return num(v) + (ci == null ? "" : " (" + num(ci.get(0)) + "–" + num(ci.get(1)) + ")");
    }
}
