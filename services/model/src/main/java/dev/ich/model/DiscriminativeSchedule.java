package dev.ich.model;

import dev.ich.core.training.Schedule;

import ai.djl.training.tracker.ParameterTracker;

import java.util.Map;

/**
 * A learning rate per parameter and step: the layer group's base rate (geometric from lrMin for the first group
 * to lrMax for the head) times the phase's schedule factor (one-cycle or constant).
 *
 * <p>DJL counts updates per parameter, and frozen parameters are not updated, so the step comes from
 * {@link #setStep(int)} (the learner sets it before each optimiser step), not from {@code numUpdate}.
 */
public final class DiscriminativeSchedule implements ParameterTracker {
    /** One-cycle: share of the steps spent warming up, start = lr / DIV, end = lr / FINAL_DIV. */
    public static final double PCT_START = 0.25;
    public static final double DIV = 25;
    public static final double FINAL_DIV = 1e4;

    private final Map<String, Integer> groupOf;
    private final double[] groupRates;
    private final Schedule schedule;
    private final int totalSteps;
    private volatile int step;

    public DiscriminativeSchedule(Map<String, Integer> groupOf, double[] groupRates, Schedule schedule, int totalSteps) {
        this.groupOf = Map.copyOf(groupOf);
        this.groupRates = groupRates.clone();
        this.schedule = schedule;
        this.totalSteps = Math.max(1, totalSteps);
    }

    /** {@code groups} rates spread geometrically: lrMin, ..., lrMax (all lrMax for one group). */
    public static double[] geometric(double lrMin, double lrMax, int groups) {
        double[] rates = new double[groups];
        for (int g = 0; g < groups; g++) {
            rates[g] = groups == 1 ? lrMax : lrMin * Math.pow(lrMax / lrMin, (double) g / (groups - 1));
        }
        return rates;
    }

    /**
     * The factor on the base rate at {@code step} of {@code total}: ONE_CYCLE warms up with a half cosine from
     * 1/DIV to 1 over the first PCT_START of the steps, then anneals with a half cosine to 1/FINAL_DIV; CONSTANT is 1.
     */
    public static double factor(Schedule schedule, int step, int total) {
        if (schedule == Schedule.CONSTANT) return 1.0;
        int warm = Math.max(1, (int) Math.round(total * PCT_START));
        if (step < warm) return cosine(1 / DIV, 1.0, (double) step / warm);
        int rest = Math.max(1, total - 1 - warm);
        return cosine(1.0, 1 / FINAL_DIV, Math.min(1.0, (double) (step - warm) / rest));
    }

    /**
     * AdamW's beta1 at {@code step} of {@code total}, moving against the rate: ONE_CYCLE goes 0.95 to 0.85 during
     * the warm-up and back to 0.95 while annealing (fastai's moms); CONSTANT keeps 0.9.
     */
    public static double beta1(Schedule schedule, int step, int total) {
        if (schedule == Schedule.CONSTANT) return 0.9;
        int warm = Math.max(1, (int) Math.round(total * PCT_START));
        if (step < warm) return cosine(0.95, 0.85, (double) step / warm);
        int rest = Math.max(1, total - 1 - warm);
        return cosine(0.85, 0.95, Math.min(1.0, (double) (step - warm) / rest));
    }

    /** Half-cosine interpolation from {@code start} (t = 0) to {@code end} (t = 1). */
    static double cosine(double start, double end, double t) {
        return end + (start - end) / 2 * (1 + Math.cos(Math.PI * t));
    }

    public void setStep(int step) {
        this.step = step;
    }

    public int step() {
        return step;
    }

    /** AdamW's beta1 at the current step. */
    public double beta1() {
        return beta1(schedule, step, totalSteps);
    }

    /** The rate of a group at the current step. */
    public double rate(int group) {
        return groupRates[group] * factor(schedule, step, totalSteps);
    }

    @Override
    public float getNewValue(String parameterId, int numUpdate) {
        return (float) rate(groupOf.getOrDefault(parameterId, groupRates.length - 1));
    }
}
