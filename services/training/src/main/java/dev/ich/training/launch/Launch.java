package dev.ich.training.launch;

import java.util.List;

/**
 * What a launcher starts: a job's runs, each with the object key of its spec (the trainer's {@code --spec-key}).
 * A sweep's runs are also stored by index ({@link #indexedSpecKey}) so one Kubernetes Job with indexed completions
 * finds its run's spec from {@code JOB_COMPLETION_INDEX}.
 *
 * {@code handle}: per run, what the launcher knew it by before a restart (a process id); null when new
 */
public record Launch(String jobId, String kind, boolean sweep, List<RunLaunch> runs, Options options) {
    /**
     * Per-job limits that override the Job template's: {@code retries} becomes {@code backoffLimit} (the trainer
     * resumes from its last checkpoint, so a retry loses at most an epoch), {@code maxDurationSeconds} becomes
     * {@code activeDeadlineSeconds}. Null: the template's value.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Options(Integer retries, Long maxDurationSeconds) {
        public static final Options DEFAULTS = new Options(null, null);
    }

    public record RunLaunch(String runId, String specKey, String handle) {
    }

    /** {@code jobs/<sweep id>/runs/<index>.json}: the spec of the sweep's run at that index. */
    public static String indexedSpecKey(String jobId, String index) {
        return "jobs/" + jobId + "/runs/" + index + ".json";
    }
}
