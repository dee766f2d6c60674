package dev.ich.training.jobs;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ich.runtime.operation.OperationState;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One trainer run: the whole of a train or lr-find job, one seed of a sweep. Its id is the trainer's job id
 * ({@code jobs/<run id>/} holds its artefacts, {@code training-events} are keyed by it). Mutated only under the
 * owning {@link Job}'s lock.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Run {
    String id;
    Long seed;
    OperationState state = OperationState.pending;
    String reason;
    /** A failed run's code (Job.LAUNCH_FAILED, TRAINER_FAILED...): the job's failure.code. Absent in older state.json files. */
    String failure;
    String phase;
    Integer epoch;
    Integer epochs;
    Integer step;
    Integer steps;
    Double loss;
    Double etaSeconds;
    /** The latest epoch's metrics, then the final ones. */
    Map<String, Double> metrics;
    /** Metrics of every epoch, by epoch index: an epoch event delivered twice lands on the same entry. */
    TreeMap<Integer, Map<String, Double>> history = new TreeMap<>();
    String modelKey;
    String message;
    /** What the launcher knows it by: a process id, a pod name. */
    String handle;
    Instant startedAt;
    Instant finishedAt;
    /** Time of the newest event applied: older ones are redeliveries or stragglers and are skipped. */
    Instant lastEvent;

    Run() {
    }

    Run(String id, Long seed) {
        this.id = id;
        this.seed = seed;
    }

    public String id() {
        return id;
    }

    public Long seed() {
        return seed;
    }

    public OperationState state() {
        return state;
    }

    public String reason() {
        return reason;
    }

    public String handle() {
        return handle;
    }

    public String modelKey() {
        return modelKey;
    }

    public Map<String, Double> metrics() {
        return metrics == null ? Map.of() : new LinkedHashMap<>(metrics);
    }

    void handle(String handle) {
        this.handle = handle;
    }
}
