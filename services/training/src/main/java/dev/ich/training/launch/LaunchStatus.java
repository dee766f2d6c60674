package dev.ich.training.launch;

import dev.ich.training.jobs.JobState;

/** What a launcher sees of a run: Pending with why (queued, unschedulable, starting), Running, or how it ended. */
public record LaunchStatus(JobState state, String reason) {
    public static LaunchStatus pending(String reason) {
        return new LaunchStatus(JobState.PENDING, reason);
    }

    public static LaunchStatus running() {
        return new LaunchStatus(JobState.RUNNING, null);
    }

    public static LaunchStatus succeeded() {
        return new LaunchStatus(JobState.SUCCEEDED, null);
    }

    public static LaunchStatus failed(String reason) {
        return new LaunchStatus(JobState.FAILED, reason);
    }
}
