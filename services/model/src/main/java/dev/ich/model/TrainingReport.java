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
        TreeSet<String> labels = new TreeSet<>();
        epochs.forEach(e -> labels.addAll(e.auc().keySet()));
        return HtmlPages.render("training-report.html", Map.of(
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
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
