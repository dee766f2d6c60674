package dev.ich.training.jobs;

import java.util.Locale;
import java.util.Map;

/** A sweep's page: each metric's mean and standard deviation over the seeds, and a row per seed with its report. */
final class SweepReport {
    private SweepReport() {
    }

    static String html(Job job) {
        StringBuilder b = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>sweep ").append(esc(job.id()))
                .append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
                        + "padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}</style></head><body>");
        b.append("<h1>Sweep ").append(esc(job.id())).append("</h1><p>").append(esc(job.spec().dataset())).append(", ")
                .append(job.spec().architecture().json()).append(", ").append(job.spec().epochs()).append(" epochs, state <b>")
                .append(job.state().label()).append("</b>").append(job.reason() == null ? "" : ": " + esc(job.reason())).append("</p>");
        Map<String, Job.Stat> summary = job.summary();
        if (summary != null) {
            b.append("<h2>Over ").append(summary.values().iterator().next().n()).append(" seeds</h2><table><tr><th>metric</th><th>mean</th>"
                    + "<th>std</th><th>values</th></tr>");
            summary.forEach((k, s) -> b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.4f</td><td>%.4f</td><td>%s</td></tr>", esc(k),
                    s.mean(), s.std(), s.values().stream().map(v -> String.format(Locale.ROOT, "%.4f", v)).toList())));
            b.append("</table>");
        }
        b.append("<h2>Runs</h2><table><tr><th>run</th><th>seed</th><th>state</th><th>report</th></tr>");
        for (Run r : job.runs()) {
            b.append("<tr><td>").append(esc(r.id())).append("</td><td>").append(r.seed()).append("</td><td>").append(r.state().label())
                    .append(r.reason() == null ? "" : ": " + esc(r.reason())).append("</td><td><a href=\"/jobs/").append(esc(r.id()))
                    .append("/report\">report</a></td></tr>");
        }
        return b.append("</table></body></html>").toString();
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
