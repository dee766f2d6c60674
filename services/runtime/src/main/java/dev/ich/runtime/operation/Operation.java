package dev.ich.runtime.operation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.ich.runtime.problem.Problem;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * One piece of background work as every ich service shows it (docs/operations.md): a cleaning reprocess run, an
 * ingest import, a dataset build, a metadata experiment, a training job. The envelope is the same everywhere, so a
 * client (the CLI, the demo, a hospital's scripts) waits on any of them with one loop: poll {@code state} until
 * {@link OperationState#terminal()}, show {@code progress}, and on failure read {@code failure}, a problem+json whose
 * {@code detail} says what to do. What only one kind has is in {@code details}.
 *
 * <p>Immutable: the code doing the work replaces the value it publishes ({@link OperationStore}).
 *
 * @param kind    what sort of work: {@code reprocess}, {@code import}, {@code dataset-build}, {@code metadata-baseline},
 *                {@code train}, {@code lr-find}, {@code sweep}
 * @param message what it is doing or waiting for now, in words (a pending training job's scheduler reason, say)
 * @param failure why it failed or was interrupted; null otherwise
 */
@Schema(description = "one piece of background work: the same envelope in every service (docs/operations.md)")
public record Operation<D>(
        @Schema(required = true) String id,
        @Schema(required = true) String kind,
        @Schema(required = true) OperationState state,
        String message,
        @Schema(required = true) Progress progress,
        @Schema(required = true, description = "when it was accepted") Instant startedAt,
        @Schema(required = true, description = "when this value was taken") Instant updatedAt,
        Instant finishedAt,
        Problem failure,
        D details) {

    /** Accepted now, nothing done yet. */
    public static <D> Operation<D> pending(String id, String kind, Progress progress, D details) {
        Instant now = Instant.now();
        return new Operation<>(id, kind, OperationState.pending, null, progress, now, now, null, null, details);
    }

    /** Started now. */
    public static <D> Operation<D> running(String id, String kind, Progress progress, D details) {
        Instant now = Instant.now();
        return new Operation<>(id, kind, OperationState.running, null, progress, now, now, null, null, details);
    }

    @JsonIgnore
    public boolean terminal() {
        return state.terminal();
    }

    /** Still going, with new progress and details; a terminal operation does not change. */
    public Operation<D> progressed(Progress p, D d) {
        if (terminal()) return this;
        return new Operation<>(id, kind, OperationState.running, message, p, startedAt, Instant.now(), null, null, d);
    }

    /** The same value, taken now (what a periodic checkpoint writes, so readers can tell it is still being worked on). */
    public Operation<D> withUpdatedNow() {
        return new Operation<>(id, kind, state, message, progress, startedAt, Instant.now(), finishedAt, failure, details);
    }

    public Operation<D> withMessage(String m) {
        return new Operation<>(id, kind, state, m, progress, startedAt, Instant.now(), finishedAt, failure, details);
    }

    public Operation<D> succeeded(Progress p, D d) {
        return end(OperationState.succeeded, p, d, null);
    }

    public Operation<D> failed(Problem why, Progress p, D d) {
        return end(OperationState.failed, p, d, why);
    }

    public Operation<D> cancelled(String why) {
        return new Operation<>(id, kind, OperationState.cancelled, why, progress, startedAt, Instant.now(), Instant.now(), null, details);
    }

    /**
     * What a reader makes of a running operation whose worker stopped reporting: {@code detail} says who stopped and
     * what to do. Its progress and details stay as last reported.
     */
    public Operation<D> interrupted(String detail) {
        Problem why = Problem.of(503, "Interrupted", detail);
        return new Operation<>(id, kind, OperationState.interrupted, null, progress, startedAt, updatedAt, null, why, details);
    }

    private Operation<D> end(OperationState end, Progress p, D d, Problem why) {
        Instant now = Instant.now();
        return new Operation<>(id, kind, end, message, p, startedAt, now, now, why, d);
    }
}
