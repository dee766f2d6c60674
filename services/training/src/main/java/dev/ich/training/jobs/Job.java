package dev.ich.training.jobs;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.event.TrainingEvent;
import dev.ich.core.training.JobSpec;
import dev.ich.runtime.operation.Operation;
import dev.ich.runtime.operation.OperationState;
import dev.ich.runtime.operation.Progress;
import dev.ich.runtime.problem.Problem;
import dev.ich.training.launch.Launch;
import dev.ich.training.launch.LaunchStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A training job as {@code jobs/<id>/state.json} stores it: the spec, the state, and its runs (one for train and
 * lr-find, one per seed for a sweep). The job's state follows its runs'; each run's follows its {@code training-events}
 * and its launcher. Every change goes through the synchronized methods. The API shows it as an operation
 * ({@link #operation()}, docs/operations.md); state.json stays this class's fields, so every replica rebuilds from it.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Job {
    public static final String SWEEP = "sweep";
    /** What a failed job's {@code failure.code} says, for a program to branch on (docs/training-api.md, "Failures"). */
    public static final String LAUNCH_FAILED = "LaunchFailed";
    /** The trainer ran and failed: its own failed event, its process's non-zero exit, a Kubernetes Job out of retries. */
    public static final String TRAINER_FAILED = "TrainerFailed";
    /** The time limit ({@code maxDurationSeconds}, the Job's activeDeadlineSeconds) ran out. */
    public static final String TIME_LIMIT_EXCEEDED = "TimeLimitExceeded";
    /** The run went away without a result: its Kubernetes Job was deleted, its process ended while the service restarted. */
    public static final String RUN_LOST = "RunLost";
    /** Runs that failed differently (a sweep), or a state.json of a service that kept no code. */
    public static final String TRAINING_FAILED = "TrainingFailed";

    String id;
    /** {@code train}, {@code lr-find} or {@code sweep}. */
    String kind;
    OperationState state = OperationState.pending;
    String reason;
    /** The resolved spec (a sweep's runs differ from it in id, seed and model name only). */
    JobSpec spec;
    List<Long> seeds;
    String launcher;
    /** Retries and the time limit asked for (Kubernetes); null fields: the Job template's. */
    Launch.Options limits;
    Instant submittedAt;
    Instant startedAt;
    Instant finishedAt;
    List<Run> runs = new ArrayList<>();
    /** A sweep's metrics over its succeeded seeds. */
    Map<String, Stat> summary;

    Job() {
    }

    Job(String id, String kind, JobSpec spec, List<Long> seeds, List<Run> runs, String launcher, Instant submittedAt) {
        this.id = id;
        this.kind = kind;
        this.spec = spec;
        this.seeds = seeds;
        this.runs = new ArrayList<>(runs);
        this.launcher = launcher;
        this.submittedAt = submittedAt;
    }

    /** Mean and sample standard deviation (n - 1) of one metric over a sweep's seeds, and the values themselves. */
    public record Stat(double mean, double std, int n, List<Double> values) {
        static Stat of(List<Double> values) {
            dev.ich.core.metric.Spread spread = dev.ich.core.metric.Spread.of(values);
            return new Stat(spread.mean(), spread.sd(), spread.n(), List.copyOf(values));
        }
    }

    /** A consistent snapshot as JSON: what state.json holds ({@link JobStore}); the API answers {@link #operation()}. */
    public synchronized ObjectNode toJson() {
        return dev.ich.core.event.Events.JSON.valueToTree(this);
    }

    /**
     * The job as the API answers it: one operation (docs/operations.md) of kind train, lr-find or sweep, taken under
     * the job's lock so its state, progress and details agree.
     */
    public synchronized Operation<JobDetails> operation() {
        Run one = single();
        Integer asked = spec == null ? null : spec.epochs();
        long done = runs.stream().mapToLong(r -> epochsDone(r, asked)).sum();
        Progress progress = Progress.of(done, asked == null ? null : (long) asked * runs.size(), JobDetails.UNIT);
        String message = state == OperationState.pending || state == OperationState.cancelled ? reason : one == null ? null : one.message;
        Problem failure = state == OperationState.failed ? Problem.of(500, failureCode(), reason) : null;
        JobDetails details = new JobDetails(spec, seeds == null ? null : List.copyOf(seeds), launcher, limits, submittedAt, startedAt,
                runs.stream().map(Job::details).toList(), summary == null ? null : new LinkedHashMap<>(summary),
                phase(), epoch(), epochs(), step(), steps(), loss(), etaSeconds(), copy(metrics()), modelKey());
        return new Operation<>(id, kind, state, message, progress, submittedAt, Instant.now(), finishedAt, failure, details);
    }

    /** Epochs a run has finished: those it reported, all it was asked for once it succeeded. */
    private static long epochsDone(Run r, Integer asked) {
        if (r.state == OperationState.succeeded && asked != null) return asked;
        return asked == null ? r.history.size() : Math.min(r.history.size(), asked);
    }

    /** The failed runs' code when they agree; a sweep whose runs failed differently is TrainingFailed (each run has its own). */
    private String failureCode() {
        List<String> codes = runs.stream().filter(r -> r.state == OperationState.failed).map(r -> r.failure == null ? TRAINING_FAILED : r.failure)
                .distinct().toList();
        return codes.size() == 1 ? codes.get(0) : TRAINING_FAILED;
    }

    private static JobDetails.RunDetails details(Run r) {
        Map<Integer, Map<String, Double>> history = new LinkedHashMap<>();
        r.history.forEach((epoch, m) -> history.put(epoch, copy(m)));
        return new JobDetails.RunDetails(r.id, r.seed, r.state, r.reason, r.failure, r.phase, r.epoch, r.epochs, r.step, r.steps, r.loss,
                r.etaSeconds, copy(r.metrics), history, r.modelKey, r.message, r.handle, r.startedAt, r.finishedAt);
    }

    private static Map<String, Double> copy(Map<String, Double> m) {
        return m == null ? null : new LinkedHashMap<>(m);
    }

    public synchronized String id() {
        return id;
    }

    public synchronized String kind() {
        return kind;
    }

    public synchronized OperationState state() {
        return state;
    }

    public synchronized String reason() {
        return reason;
    }

    public synchronized JobSpec spec() {
        return spec;
    }

    public synchronized Instant submittedAt() {
        return submittedAt;
    }

    public synchronized Instant startedAt() {
        return startedAt;
    }

    public synchronized Instant finishedAt() {
        return finishedAt;
    }

    public synchronized Map<String, Stat> summary() {
        return summary;
    }

    public synchronized List<Run> runs() {
        return List.copyOf(runs);
    }

    public synchronized boolean sweep() {
        return SWEEP.equals(kind);
    }

    public synchronized boolean hasRun(String runId) {
        return runs.stream().anyMatch(r -> r.id.equals(runId));
    }

    // --- the single run's progress, shown at the top level for train and lr-find jobs -------------------------

    private Run single() {
        return runs.size() == 1 && !SWEEP.equals(kind) ? runs.get(0) : null;
    }

    @JsonProperty(value = "phase", access = JsonProperty.Access.READ_ONLY)
    synchronized String phase() {
        return single() == null ? null : single().phase;
    }

    @JsonProperty(value = "epoch", access = JsonProperty.Access.READ_ONLY)
    synchronized Integer epoch() {
        return single() == null ? null : single().epoch;
    }

    @JsonProperty(value = "epochs", access = JsonProperty.Access.READ_ONLY)
    synchronized Integer epochs() {
        return single() == null ? null : single().epochs;
    }

    @JsonProperty(value = "step", access = JsonProperty.Access.READ_ONLY)
    synchronized Integer step() {
        return single() == null ? null : single().step;
    }

    @JsonProperty(value = "steps", access = JsonProperty.Access.READ_ONLY)
    synchronized Integer steps() {
        return single() == null ? null : single().steps;
    }

    @JsonProperty(value = "loss", access = JsonProperty.Access.READ_ONLY)
    synchronized Double loss() {
        return single() == null ? null : single().loss;
    }

    @JsonProperty(value = "etaSeconds", access = JsonProperty.Access.READ_ONLY)
    synchronized Double etaSeconds() {
        return single() == null ? null : single().etaSeconds;
    }

    @JsonProperty(value = "metrics", access = JsonProperty.Access.READ_ONLY)
    synchronized Map<String, Double> metrics() {
        return single() == null ? null : single().metrics;
    }

    @JsonProperty(value = "modelKey", access = JsonProperty.Access.READ_ONLY)
    synchronized String modelKey() {
        return single() == null ? null : single().modelKey;
    }

    @JsonProperty(value = "message", access = JsonProperty.Access.READ_ONLY)
    synchronized String message() {
        return single() == null ? null : single().message;
    }

    // --- changes -------------------------------------------------------------------------------------------------

    /** A trainer's event for one of this job's runs; true when something changed. Redeliveries change nothing. */
    synchronized boolean apply(String runId, TrainingEvent e) {
        Run r = run(runId);
        // A finished run only learns what its late events add (epoch metrics, the model key): its state stays.
        if (r == null || r.state.terminal() && r.state != OperationState.succeeded) return false;
        Instant at = e.time() == null ? Instant.now() : e.time();
        if (r.lastEvent != null && at.isBefore(r.lastEvent) && TrainingEvent.PROGRESS.equals(e.kind())) return false;
        boolean changed;
        switch (e.kind()) {
            case TrainingEvent.STARTED -> {
                if (r.state.terminal()) return false;
                changed = r.state == OperationState.pending;
                running(r, at);
                if (r.message == null || changed) r.message = e.message();
            }
            case TrainingEvent.PROGRESS -> {
                if (r.state.terminal()) return false;
                running(r, at);
                if (e.phase() != null) r.phase = e.phase();
                if (e.epoch() != null) r.epoch = e.epoch();
                if (e.epochs() != null) r.epochs = e.epochs();
                if (e.step() != null) r.step = e.step();
                if (e.steps() != null) r.steps = e.steps();
                if (e.loss() != null) r.loss = e.loss();
                r.etaSeconds = e.etaSeconds();
                if (e.message() != null) r.message = e.message();
                changed = true;
            }
            case TrainingEvent.EPOCH -> {
                if (r.state.terminal() && r.history.containsKey(e.epoch())) return false;
                if (!r.state.terminal()) running(r, at);
                if (e.metrics() != null && e.epoch() != null) r.history.put(e.epoch(), new LinkedHashMap<>(e.metrics()));
                if (!r.history.isEmpty()) r.metrics = r.history.lastEntry().getValue();
                if (e.epoch() != null && !r.state.terminal()) r.epoch = e.epoch();
                if (e.epochs() != null) r.epochs = e.epochs();
                if (e.phase() != null && !r.state.terminal()) r.phase = e.phase();
                changed = true;
            }
            case TrainingEvent.COMPLETED -> {
                if (r.state == OperationState.succeeded && Objects.equals(r.message, e.message())) return false;
                if (r.state == OperationState.pending) running(r, at);
                if (e.metrics() != null && !e.metrics().isEmpty()) r.metrics = new LinkedHashMap<>(e.metrics());
                r.message = e.message();
                if (e.modelKey() != null) r.modelKey = e.modelKey();
                r.etaSeconds = 0.0;
                finish(r, OperationState.succeeded, null, null, at);
                changed = true;
            }
            case TrainingEvent.FAILED -> {
                if (r.state.terminal()) return false;
                finish(r, OperationState.failed, TRAINER_FAILED, e.message(), at);
                changed = true;
            }
            default -> throw new IllegalArgumentException("unknown training event kind '" + e.kind() + "'");
        }
        if (r.lastEvent == null || at.isAfter(r.lastEvent)) r.lastEvent = at;
        settle(at);
        return changed;
    }

    /** What the launcher sees of a run ({@code runId} null: of every unfinished run, as for a whole Kubernetes Job). */
    synchronized boolean observe(String runId, LaunchStatus s) {
        if (state.terminal()) return false;
        boolean changed = false;
        Instant now = Instant.now();
        for (Run r : runs) {
            if (runId != null && !r.id.equals(runId) || r.state.terminal()) continue;
            switch (s.state()) {
                case pending -> {
                    if (r.state == OperationState.pending && !Objects.equals(r.reason, s.reason())) {
                        r.reason = s.reason();
                        changed = true;
                    }
                }
                case running -> {
                    if (r.state == OperationState.pending) {
                        running(r, now);
                        changed = true;
                    }
                }
                default -> {
                    finish(r, s.state(), s.code(), s.reason(), now);
                    changed = true;
                }
            }
        }
        if (changed) settle(now);
        return changed;
    }

    /** DELETE /jobs/{id}: every unfinished run ends cancelled; false when the job had already ended. */
    synchronized boolean cancel(String why) {
        if (state.terminal()) return false;
        Instant now = Instant.now();
        for (Run r : runs) if (!r.state.terminal()) finish(r, OperationState.cancelled, null, why, now);
        state = OperationState.cancelled;
        reason = why;
        finishedAt = now;
        return true;
    }

    /** A launcher that could not start the job at all. */
    synchronized void failToLaunch(String why) {
        Instant now = Instant.now();
        for (Run r : runs) if (!r.state.terminal()) finish(r, OperationState.failed, LAUNCH_FAILED, why, now);
        settle(now);
    }

    synchronized void handle(String runId, String handle) {
        Run r = run(runId);
        if (r != null) r.handle = handle;
    }

    private Run run(String runId) {
        return runs.stream().filter(x -> x.id.equals(runId)).findFirst().orElse(null);
    }

    private static void running(Run r, Instant at) {
        if (r.state == OperationState.pending) {
            r.state = OperationState.running;
            r.reason = null;
            r.startedAt = at;
        }
    }

    private static void finish(Run r, OperationState end, String code, String why, Instant at) {
        r.state = end;
        r.failure = end == OperationState.failed ? (code == null ? TRAINING_FAILED : code) : null;
        if (why != null || end != OperationState.succeeded) r.reason = why;
        r.finishedAt = at;
    }

    /** The job's state from its runs': terminal when all are; running when one runs; else pending with a run's reason. */
    private void settle(Instant at) {
        if (SWEEP.equals(kind)) summary = summarise();
        if (state.terminal()) return;
        if (runs.stream().allMatch(r -> r.state.terminal())) {
            List<Run> bad = runs.stream().filter(r -> r.state != OperationState.succeeded).toList();
            state = bad.isEmpty() ? OperationState.succeeded : bad.stream().anyMatch(r -> r.state == OperationState.cancelled)
                    && bad.stream().noneMatch(r -> r.state == OperationState.failed) ? OperationState.cancelled : OperationState.failed;
            reason = bad.isEmpty() ? null : runs.size() == 1 ? bad.get(0).reason
                    : bad.size() + " of " + runs.size() + " runs did not succeed: " + String.join("; ",
                    bad.stream().map(r -> r.id + ": " + r.reason).toList());
            finishedAt = runs.stream().map(r -> r.finishedAt).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(at);
            if (startedAt == null) startedAt = firstStart();
        } else if (runs.stream().anyMatch(r -> r.state == OperationState.running || r.state.terminal())) {
            state = OperationState.running;
            reason = null;
            if (startedAt == null) startedAt = firstStart();
        } else {
            reason = runs.stream().map(r -> r.reason).filter(Objects::nonNull).findFirst().orElse(null);
        }
    }

    private Instant firstStart() {
        return runs.stream().map(r -> r.startedAt).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
    }

    private Map<String, Stat> summarise() {
        Map<String, List<Double>> values = new TreeMap<>();
        for (Run r : runs) {
            if (r.state != OperationState.succeeded || r.metrics == null) continue;
            r.metrics.forEach((k, v) -> {
                if (v != null && !v.isNaN()) values.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            });
        }
        Map<String, Stat> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Stat.of(v)));
        return out.isEmpty() ? null : out;
    }
}
