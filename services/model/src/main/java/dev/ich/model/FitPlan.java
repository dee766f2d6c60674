package dev.ich.model;

import dev.ich.core.training.JobSpec;
import dev.ich.core.training.Optimizer;
import dev.ich.core.training.Schedule;

/**
 * How to train (docs/reference-experiment.md, "Baseline model"): {@code freezeEpochs} with the backbone frozen (batch norm still
 * training) at {@code lrMax}, then the rest unfrozen with discriminative rates from {@code lrMin} (first
 * layer group) to {@code lrMax} (the head); {@code lrMin == lrMax} is one rate for all.
 *
 * @param epochs total epochs, frozen ones included
 * @param schedule  the job contract's own enum (core), so a job's choice reaches the learner without a translation
 * @param seed      seeds libtorch's generator (dropout) at the start of every epoch, from this and the epoch's number: two
 *                  runs of one plan draw the same masks whether they start from fresh, pretrained or resumed weights
 */
public record FitPlan(int freezeEpochs, int epochs, double lrMin, double lrMax, Schedule schedule, Optimizer optimizer,
                      double weightDecay, long seed) {
    public FitPlan {
        if (epochs < 1 || freezeEpochs < 0 || freezeEpochs > epochs) {
            throw new IllegalArgumentException("need 1 <= epochs and 0 <= freezeEpochs <= epochs, not " + freezeEpochs + "/" + epochs);
        }
        if (!(lrMin > 0 && lrMax >= lrMin)) throw new IllegalArgumentException("need 0 < lrMin <= lrMax, not " + lrMin + ".." + lrMax);
        if (weightDecay < 0) throw new IllegalArgumentException("weightDecay must not be negative");
    }

    /** A plan whose epochs are seeded from 0 (tests, benchmarks). */
    public FitPlan(int freezeEpochs, int epochs, double lrMin, double lrMax, Schedule schedule, Optimizer optimizer, double weightDecay) {
        this(freezeEpochs, epochs, lrMin, lrMax, schedule, optimizer, weightDecay, 0L);
    }

    /** The seed of {@code epoch}'s random draws: another per epoch, the same in every run of the plan. */
    public int epochSeed(int epoch) {
        return (int) (seed * 1_000_003L + epoch);
    }

    /** The plan of a job (a valid one: its builder checked the same numbers, naming the fields). */
    public static FitPlan of(JobSpec spec) {
        return new FitPlan(spec.freezeEpochs(), spec.epochs(), spec.lrMin(), spec.lrMax(), spec.schedule(), spec.optimizer(),
                spec.weightDecay(), spec.seed());
    }
}
