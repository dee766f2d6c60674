package dev.ich.training.launch;

import dev.ich.runtime.operation.OperationState;
import dev.ich.training.jobs.Job;

/**
 * What a launcher sees of a run: pending with why (queued, unschedulable, starting), running, or how it ended.
 * {@code code}: on failure, what a program branches on ({@link Job#TRAINER_FAILED}, {@link Job#TIME_LIMIT_EXCEEDED},
 * {@link Job#RUN_LOST}); null otherwise.
 */
public record LaunchStatus(OperationState state, String reason, String code) {
    public static LaunchStatus pending(String reason) {
        return new LaunchStatus(OperationState.pending, reason, null);
    }

    public static LaunchStatus running() {
        return new LaunchStatus(OperationState.running, null, null);
    }

    public static LaunchStatus succeeded() {
        return new LaunchStatus(OperationState.succeeded, null, null);
    }

    /** The trainer ended failing (a non-zero exit, a Kubernetes Job out of retries). */
    public static LaunchStatus failed(String reason) {
        return failed(Job.TRAINER_FAILED, reason);
    }

    public static LaunchStatus failed(String code, String reason) {
        return new LaunchStatus(OperationState.failed, reason, code);
    }
}
