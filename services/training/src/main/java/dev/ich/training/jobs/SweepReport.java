package dev.ich.training.jobs;

import dev.ich.core.html.HtmlPages;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A sweep's page: each metric's mean and standard deviation over the seeds, and a row per seed with its report; from
 * {@code templates/sweep-report.html}.
 */
final class SweepReport {
    private SweepReport() {
    }

    /** What the page shows of a sweep; {@code seeds} is 0 until there is a summary, {@code reason} null when none. */
    public record Page(String id, String dataset, String architecture, String epochs, String state, String reason, int seeds,
                       List<Metric> metrics, List<RunRow> runs) {
    }

    /** One metric over the seeds, its numbers as the page shows them. */
    public record Metric(String name, String mean, String std, String values) {
    }

    /** One seed's run. */
    public record RunRow(String id, String seed, String state, String reason) {
    }

    static String html(Job job) {
        Map<String, Job.Stat> summary = job.summary();
        List<Metric> metrics = summary == null ? List.of() : summary.entrySet().stream().map(m -> new Metric(m.getKey(),
                num(m.getValue().mean()), num(m.getValue().std()),
                m.getValue().values().stream().map(SweepReport::num).toList().toString())).toList();
        int seeds = summary == null ? 0 : summary.values().iterator().next().n();
        List<RunRow> runs = job.runs().stream()
                .map(r -> new RunRow(r.id(), String.valueOf(r.seed()), r.state().word(), r.reason())).toList();
        return HtmlPages.render("sweep-report.html", Map.of("sweep", new Page(job.id(), Objects.toString(job.spec().dataset(), ""),
                job.spec().architecture() == null ? "" : job.spec().architecture().json(), String.valueOf(job.spec().epochs()), job.state().word(), job.reason(),
                seeds, metrics, runs)));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
