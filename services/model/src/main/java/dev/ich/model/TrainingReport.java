package dev.ich.model;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** A self-contained HTML page of one run: spec, plan, per-epoch metrics and figures (inline PNGs, no scripts). */
public final class TrainingReport {
    private TrainingReport() {
    }

    /**
     * @param figures caption to PNG bytes, in display order (e.g. from {@link Plots})
     */
    public static String html(String title, ModelSpec spec, FitPlan plan, List<EpochResult> epochs, Map<String, byte[]> figures) {
        StringBuilder h = new StringBuilder(4096 + figures.values().stream().mapToInt(b -> b.length * 4 / 3 + 200).sum());
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}img{max-width:100%;display:block}</style>")
                .append("</head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        h.append("<h2>Model</h2>\n<table>")
                .append(row("architecture", spec.architecture().name().toLowerCase(Locale.ROOT)))
                .append(row("task", spec.task().name().toLowerCase(Locale.ROOT)))
                .append(row("input", spec.channels() + " x " + spec.imageSize() + " x " + spec.imageSize()))
                .append(row("dropout", String.valueOf(spec.dropout()))).append("</table>\n");
        h.append("<h2>Plan</h2>\n<table>")
                .append(row("epochs (frozen)", plan.epochs() + " (" + plan.freezeEpochs() + ")"))
                .append(row("learning rates", fmt(plan.lrMin()) + " .. " + fmt(plan.lrMax())))
                .append(row("schedule", plan.schedule().name().toLowerCase(Locale.ROOT)))
                .append(row("optimizer", plan.optimizer().name().toLowerCase(Locale.ROOT)))
                .append(row("weight decay", fmt(plan.weightDecay()))).append("</table>\n");
        TreeSet<String> labels = new TreeSet<>();
        epochs.forEach(e -> labels.addAll(e.auc().keySet()));
        h.append("<h2>Epochs</h2>\n<table><tr><th>epoch</th><th>phase</th><th>train loss</th><th>valid loss</th><th>accuracy</th>");
        for (String l : labels) h.append("<th>AUC ").append(escape(l)).append("</th>");
        h.append("<th>weighted log loss</th><th>seconds</th></tr>\n");
        for (EpochResult e : epochs) {
            h.append("<tr><td>").append(e.epoch()).append("</td><td>").append(escape(e.phase())).append("</td><td>")
                    .append(num(e.trainLoss())).append("</td><td>").append(num(e.validLoss())).append("</td><td>").append(num(e.accuracy()))
                    .append("</td>");
            for (String l : labels) h.append("<td>").append(num(e.auc().getOrDefault(l, Double.NaN))).append("</td>");
            h.append("<td>").append(e.weightedLogLoss() == null ? "-" : num(e.weightedLogLoss())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", e.seconds())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (Map.Entry<String, byte[]> f : figures.entrySet()) {
            h.append("<h2>").append(escape(f.getKey())).append("</h2>\n<img alt=\"").append(escape(f.getKey()))
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(f.getValue())).append("\">\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String row(String key, String value) {
        return "<tr><th>" + escape(key) + "</th><td>" + escape(value) + "</td></tr>";
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
