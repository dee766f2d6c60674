package dev.ich.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import me.tongfei.progressbar.ProgressBar;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Jobs of the training service, as the demo uses them: submit a spec, then follow the job with a progress bar until it ends. */
final class TrainingJobs {
    private final ServiceApi training;
    private final Path localLogs;
    private final Duration stall;
    private final PrintStream progress;
    /** The operation states a job does not leave. */
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled", "interrupted");

    /**
     * @param localLogs where the local launcher keeps each job's log ({@code <id>.log}), named beside the API's
     * @param stall     a job that shows no progress for this long fails the step
     */
    TrainingJobs(ServiceApi training, Path localLogs, Duration stall, PrintStream progress) {
        this.training = training;
        this.localLogs = localLogs;
        this.stall = stall;
        this.progress = progress;
    }

    String submit(Map<String, Object> spec) {
        return training.post("/jobs", spec, 202).body().path("id").asText();
    }

    /**
     * Follows a job, an operation (docs/operations.md), until it ends; a failed, cancelled or stalled job fails the
     * step with its reason and log. Progress: the envelope's epochs over all runs, and a train or lr-find job's step
     * within its epoch ({@code details}).
     */
    JsonNode follow(String id, String title) throws InterruptedException {
        JsonNode job;
        long lastChange = System.nanoTime();
        String lastSeen = "";
        try (ProgressBar bar = Progress.bar(title, 100, " %", progress)) {
            while (true) {
                job = training.get("/jobs/" + id, 200).body();
                String state = job.path("state").asText();
                JsonNode p = job.path("progress"), d = job.path("details");
                long total = Math.max(1, p.path("total").asLong(1));
                int steps = Math.max(1, d.path("steps").asInt(1));
                double done = (p.path("done").asLong(0) + (double) d.path("step").asInt(0) / steps) / total;
                bar.stepTo(Math.min(100, Math.round(100 * done)));
                bar.setExtraMessage(state.equals("running") && d.hasNonNull("epoch") ? String.format(Locale.ROOT, " epoch %d/%d loss %.3f",
                        d.path("epoch").asInt() + 1, Math.max(1, d.path("epochs").asInt(1)), d.path("loss").asDouble())
                        : state.equals("running") ? String.format(Locale.ROOT, " %d/%d %s", p.path("done").asLong(), total,
                        p.path("unit").asText("epochs")) : " " + state);
                if (TERMINAL.contains(state)) break;
                String seen = state + p.path("done").asText() + d.path("epoch").asText() + d.path("step").asText();
                if (!seen.equals(lastSeen)) lastChange = System.nanoTime();
                lastSeen = seen;
                if (System.nanoTime() - lastChange > stall.toNanos()) {
                    throw new StepFailure("job " + id + " has not moved for " + stall.toMinutes() + " min (" + state + ": "
                            + job.path("message").asText("") + ")", log(id));
                }
                Thread.sleep(1000); // the job's state is the service's; polling it keeps this client to plain GETs
            }
            if (job.path("state").asText().equals("succeeded")) bar.stepTo(100);
        }
        if (!job.path("state").asText().equals("succeeded")) {
            throw new StepFailure("job " + id + " ended " + job.path("state").asText() + ": " + reason(job),
                    log(id) + " (or " + localLogs.resolve(id + ".log") + ")");
        }
        return job;
    }

    /** Why a job ended otherwise: its failure's detail (and code), else its message (a cancelled job's reason). */
    static String reason(JsonNode job) {
        JsonNode failure = job.path("failure");
        if (failure.hasNonNull("detail")) return failure.path("detail").asText() + " (" + failure.path("code").asText() + ")";
        return job.path("message").asText("");
    }

    /** The job's log through the API. */
    String log(String id) {
        return training.url("/jobs/" + id + "/log");
    }
}
