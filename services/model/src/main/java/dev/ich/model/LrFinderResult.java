package dev.ich.model;

import java.util.List;

/**
 * The learning-rate finder's sweep (the notebooks: exponential from 1e-7 to 10 over about 100 batches).
 *
 * @param steepest       the rate of steepest descent of the loss: the notebooks' rule, the suggestion for a constant rate
 * @param minimumOverTen the rate of the smoothed loss's minimum, divided by ten (fastai's other rule)
 * @param lowest         the rate where the averaged loss is lowest: one-cycle's peak by Smith's rule (the largest rate
 *                       at which the loss still falls; the cycle spends most steps below it)
 * @param stoppedEarly   the sweep stopped because the loss exploded (more than 4x its minimum)
 */
public record LrFinderResult(List<Double> rates, List<Double> losses, List<Double> smoothed, double steepest,
                             double minimumOverTen, double lowest, boolean stoppedEarly) {
}
