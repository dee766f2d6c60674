package dev.ich.core.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;

/**
 * Published on {@code training-events}, keyed by job id, by the trainer (docs/architecture.md, "The services and their topics"): a job's
 * life as a stream a person or the training service can follow.
 *
 * @param kind       {@link #STARTED}, {@link #PROGRESS} (every few seconds), {@link #EPOCH} (one per epoch,
 *                   with metrics), {@link #COMPLETED} or {@link #FAILED}
 * @param phase      {@code frozen}, {@code unfrozen} or {@code lr-find}; null outside training
 * @param step       steps done in this epoch (1-based), of {@code steps}
 * @param loss       the latest training loss (smoothed over the last steps)
 * @param metrics    epoch metrics (valid_loss, accuracy, auc_any, ...) or, on completion, the final ones
 * @param etaSeconds estimated seconds to the end of the job, null when unknown
 * @param message    what happened in words: the failure's reason, the model key on completion
 * @param modelKey   the model written ({@code models/<name>/<version>/}), on the completion of a training run; else null
 */
// A reader skips fields it does not know, so a producer may add one; modelKey is left out when null, so a reader older
// than it still takes every event but a completion.
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingEvent(String jobId, String kind, String phase, Integer epoch, Integer epochs, Integer step, Integer steps,
                            Double loss, Map<String, Double> metrics, Double etaSeconds, String message, Instant time,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String modelKey) {
    public static final String TYPE = "dev.ich.training.event";
    public static final String STARTED = "started";
    public static final String PROGRESS = "progress";
    public static final String EPOCH = "epoch";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
}
