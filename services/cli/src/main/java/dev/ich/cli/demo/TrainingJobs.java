package dev.ich.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import me.tongfei.progressbar.ProgressBar;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Jobs of the training service, as the demo uses them: submit a spec, then follow the job with a progress bar until it ends. */
final class TrainingJobs {
    private final ServiceApi training;
    private final Path localLogs;
    private final Duration stall;
    private final PrintStream progress;

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

    /** Follows a job until it ends; a failed, cancelled or stalled job fails the step with its reason and log. */
    JsonNode follow(String id, String title) throws InterruptedException {
        JsonNode job;
        long lastChange = System.nanoTime();
        String lastSeen = "";
        try (ProgressBar bar = Progress.bar(title, 100, " %", progress)) {
            while (true) {
                job = training.get("/jobs/" + id, 200).body();
                String state = job.path("state").asText();
                int epochs = Math.max(1, job.path("epochs").asInt(1)), steps = Math.max(1, job.path("steps").asInt(1));
                double done = (job.path("epoch").asInt(0) * (double) steps + job.path("step").asInt(0)) / (epochs * (double) steps);
                bar.stepTo(Math.min(100, Math.round(100 * done)));
                bar.setExtraMessage(state.equals("Running") ? String.format(Locale.ROOT, " epoch %d/%d loss %.3f", job.path("epoch").asInt() + 1,
                        epochs, job.path("loss").asDouble()) : " " + state);
                if (state.equals("Succeeded") || state.equals("Failed") || state.equals("Cancelled")) break;
                String seen = state + job.path("epoch").asText() + job.path("step").asText();
                if (!seen.equals(lastSeen)) lastChange = System.nanoTime();
                lastSeen = seen;
                if (System.nanoTime() - lastChange > stall.toNanos()) {
                    throw new StepFailure("job " + id + " has not moved for " + stall.toMinutes() + " min (" + state + ": "
                            + job.path("reason").asText("") + ")", log(id));
                }
                Thread.sleep(1000); // the job's state is the service's; polling it keeps this client to plain GETs
            }
            if (job.path("state").asText().equals("Succeeded")) bar.stepTo(100);
        }
        if (!job.path("state").asText().equals("Succeeded")) {
            throw new StepFailure("job " + id + " ended " + job.path("state").asText() + ": " + job.path("reason").asText(""),
                    log(id) + " (or " + localLogs.resolve(id + ".log") + ")");
        }
        return job;
    }

    /** The job's log through the API. */
    String log(String id) {
        return training.url("/jobs/" + id + "/log");
    }
}
