package dev.ich.training.jobs;

import dev.ich.core.training.JobSpec;
import dev.ich.runtime.operation.OperationState;
import dev.ich.training.launch.Launch;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a training job adds to its operation (docs/training-api.md): the resolved spec, how it is run, its runs (one
 * for train and lr-find, one per seed for a sweep), a sweep's summary, and for train and lr-find jobs the single
 * run's progress and result at the top, as the trainer reports them. The envelope's {@code progress} counts epochs
 * finished over all runs; {@code startedAt} is when the job was accepted, {@code trainingStartedAt} when its first
 * run started training.
 */
@Schema(description = "a training job's details in its operation")
public record JobDetails(
        @Schema(description = "the resolved spec (docs/training.md)") JobSpec spec,
        @Schema(description = "a sweep's seeds, one run each") List<Long> seeds,
        @Schema(description = "local or kubernetes") String launcher,
        @Schema(description = "retries and time limit asked for; absent: the Job template's") Launch.Options limits,
        @Schema(description = "when the job was accepted (the operation's startedAt)") Instant submittedAt,
        @Schema(description = "when its first run started training") Instant trainingStartedAt,
        List<RunDetails> runs,
        @Schema(description = "a sweep's metrics over its succeeded seeds: mean, sample deviation, n, values") Map<String, Job.Stat> summary,
        @Schema(description = "train and lr-find: the trainer's phase") String phase,
        @Schema(description = "train and lr-find: the epoch (from 0) being trained") Integer epoch,
        @Schema(description = "train and lr-find: epochs in all") Integer epochs,
        @Schema(description = "train and lr-find: the step within the epoch") Integer step,
        @Schema(description = "train and lr-find: steps per epoch") Integer steps,
        @Schema(description = "train and lr-find: the latest training loss") Double loss,
        @Schema(description = "train and lr-find: the trainer's estimate of the time left") Double etaSeconds,
        @Schema(description = "train and lr-find: the latest epoch's metrics, then the final ones") Map<String, Double> metrics,
        @Schema(description = "train: where the model was written (models/<name>/<version>/)") String modelKey) {
    public static final String UNIT = "epochs";
    /**
     * The schema the OpenAPI scanner names for {@code Operation<JobDetails>} (from GET's return type): what the
     * {@code Response}-built 202 refers to, since an annotation cannot name a parameterised type.
     */
    public static final String OPERATION_SCHEMA = "OperationJobDetails";

    /** One trainer run as the job knows it: its state and reason, progress, metrics by epoch, and the launcher's handle. */
    @Schema(name = "TrainingRun", description = "one trainer run of a job: the whole of a train or lr-find job, one seed of a sweep")
    public record RunDetails(
            @Schema(required = true) String id,
            Long seed,
            @Schema(required = true) OperationState state,
            @Schema(description = "why it is pending, or how it ended when not succeeded") String reason,
            @Schema(description = "a failed run's code: LaunchFailed, TrainerFailed, TimeLimitExceeded, RunLost") String failure,
            String phase,
            Integer epoch,
            Integer epochs,
            Integer step,
            Integer steps,
            Double loss,
            Double etaSeconds,
            Map<String, Double> metrics,
            @Schema(description = "every epoch's metrics, by epoch (from 0)") Map<Integer, Map<String, Double>> history,
            String modelKey,
            String message,
            @Schema(description = "what the launcher knows it by: a process id, a pod name") String handle,
            Instant startedAt,
            Instant finishedAt) {
    }
}
