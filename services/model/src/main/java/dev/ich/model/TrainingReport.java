package dev.ich.model;

import dev.ich.core.html.HtmlPages;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A self-contained HTML page of one run: spec, plan, per-epoch metrics and figures (inline PNGs, no scripts), from
 * {@code templates/training-report.html}.
 */
public final class TrainingReport {
    private TrainingReport() {
    }

    /** One line of a key-value table. */
    public record Row(String name, String value) {
    }

    /** One epoch's line, its numbers as the page shows them; {@code auc} in the order of the page's labels. */
    public record EpochRow(int epoch, String phase, String trainLoss, String validLoss, String accuracy, List<String> auc,
                           String weightedLogLoss, String seconds) {
    }

    /** A figure: its caption and its PNG in base64. */
    public record Figure(String caption, String png) {
    }

    /**
     * @param figures caption to PNG bytes, in display order (e.g. from {@link Plots})
     */
    public static String html(String title, ModelSpec spec, FitPlan plan, List<EpochResult> epochs, Map<String, byte[]> figures) {
        return html(title, spec, plan, epochs, figures, null, null, Double.NaN);
    }

    /** One label's calibration: its temperature, how it came about, and the ECE before and after. */
    public record CalibrationRow(String label, String temperature, String eceBefore, String eceAfter, String note) {
    }

    /** One label's operating point: the threshold (on calibrated probabilities) and what it gives on validation. */
    public record PointRow(String label, String threshold, String sensitivity, String specificity, int positives, int negatives,
                           String method) {
    }

    /**
     * With the model's calibration (a table of temperatures and ECE; the reliability diagram is one of the figures,
     * {@link Plots#reliability}) and its operating point (chosen on the calibrated probabilities); either may be null
     * (an LR finder run has neither).
     */
    public static String html(String title, ModelSpec spec, FitPlan plan, List<EpochResult> epochs, Map<String, byte[]> figures,
                              Calibration calibration, Map<String, OperatingPoints.Point> points, double targetSensitivity) {
        return html(title, spec, plan, epochs, figures, calibration, points, targetSensitivity, List.of());
    }

    /** A table of the report beyond the fixed ones (the subgroups, a recalibration's before and after), every cell as shown. */
    public record Table(String title, String note, List<String> header, List<List<String>> rows) {
    }

    /** The subgroup metrics as a table: one row per group and label. */
    public static Table subgroupTable(List<SubgroupMetrics.Row> rows) {
        return new Table("Metrics by subgroup", "Validation slices per scanner group (BitsStored / PixelRepresentation) and, where the"
                + " headers recorded them, sex and age band; sensitivity and specificity at the model's operating point, with 95 % Wilson"
                + " intervals; AUC only where the group has both classes.",
                List.of("group", "value", "label", "slices", "positives", "AUC", "sensitivity", "specificity"),
                rows.stream().map(r -> List.of(r.key(), r.value(), r.label(), String.valueOf(r.count()), String.valueOf(r.positives()),
                        r.auc() == null ? "-" : num(r.auc()), withCi(r.point().sensitivity(), r.point().sensitivityCi()),
                        withCi(r.point().specificity(), r.point().specificityCi()))).toList());
    }

    /** With further tables after the operating point. */
    public static String html(String title, ModelSpec spec, FitPlan plan, List<EpochResult> epochs, Map<String, byte[]> figures,
                              Calibration calibration, Map<String, OperatingPoints.Point> points, double targetSensitivity,
                              List<Table> tables) {
        TreeSet<String> labels = new TreeSet<>();
        epochs.forEach(e -> labels.addAll(e.auc().keySet()));
        List<CalibrationRow> calibrationRows = calibration == null ? List.of() : calibration.labels().entrySet().stream()
                .map(e -> new CalibrationRow(e.getKey(), String.format(Locale.ROOT, "%.3f", e.getValue().temperature()),
                        num(e.getValue().eceBefore()), num(e.getValue().eceAfter()), e.getValue().note())).toList();
        List<PointRow> pointRows = points == null ? List.of() : points.entrySet().stream()
                .map(e -> new PointRow(e.getKey(), String.format(Locale.ROOT, "%.4f", e.getValue().threshold()),
                        withCi(e.getValue().sensitivity(), e.getValue().sensitivityCi()),
                        withCi(e.getValue().specificity(), e.getValue().specificityCi()), e.getValue().positives(), e.getValue().negatives(),
                        e.getValue().method())).toList();
        Map<String, Object> data = new java.util.HashMap<>();
        data.put("calibration", calibrationRows);
        data.put("calibrationBins", calibration == null ? 0 : calibration.bins());
        data.put("points", pointRows);
        data.put("tables", tables.stream().filter(t -> !t.rows().isEmpty()).toList());
        data.put("target", Double.isNaN(targetSensitivity) ? "" : String.format(Locale.ROOT, "%.2f", targetSensitivity));
        data.putAll(Map.of(
                "title", title,
                "model", List.of(
                        new Row("architecture", spec.architecture().name().toLowerCase(Locale.ROOT)),
                        new Row("task", spec.task().name().toLowerCase(Locale.ROOT)),
                        new Row("input", spec.channels() + " x " + spec.imageSize() + " x " + spec.imageSize()),
                        new Row("dropout", String.valueOf(spec.dropout()))),
                "plan", List.of(
                        new Row("epochs (frozen)", plan.epochs() + " (" + plan.freezeEpochs() + ")"),
                        new Row("learning rates", fmt(plan.lrMin()) + " .. " + fmt(plan.lrMax())),
                        new Row("schedule", plan.schedule().name().toLowerCase(Locale.ROOT)),
                        new Row("optimizer", plan.optimizer().name().toLowerCase(Locale.ROOT)),
                        new Row("weight decay", fmt(plan.weightDecay()))),
                "labels", List.copyOf(labels),
                "epochs", epochs.stream().map(e -> new EpochRow(e.epoch(), e.phase(), num(e.trainLoss()), num(e.validLoss()),
                        num(e.accuracy()), labels.stream().map(l -> num(e.auc().getOrDefault(l, Double.NaN))).toList(),
                        e.weightedLogLoss() == null ? "-" : num(e.weightedLogLoss()),
                        String.format(Locale.ROOT, "%.1f", e.seconds()))).toList(),
                "figures", figures.entrySet().stream()
                        .map(f -> new Figure(f.getKey(), Base64.getEncoder().encodeToString(f.getValue()))).toList()));
        return HtmlPages.render("training-report.html", data);
    }

    /** "0.950 (0.851-0.983)", or "-" when undefined. */
    public static String withCi(Double value, double[] ci) {
        if (value == null) return "-";
        return String.format(Locale.ROOT, "%.3f (%.3f-%.3f)", value, ci[0], ci[1]);
    }

    public static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
