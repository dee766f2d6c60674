package dev.ich.model;

/** Hooks of a training run: progress every step, and the end of every epoch (when the trainer checkpoints). */
public interface FitListener {
    default void step(StepProgress progress) {
    }

    /** Called after validation; {@code learner} may be saved here (a checkpoint). */
    default void epochEnded(EpochResult result, Learner learner) {
    }
}
