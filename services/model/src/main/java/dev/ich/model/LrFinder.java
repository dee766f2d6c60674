package dev.ich.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The notebooks' LR finder and the rates it suggests: one step per batch with the rate rising exponentially from
 * {@code from} to {@code to} over {@code steps} steps (passes repeat if the source is shorter), loss smoothed
 * exponentially (beta 0.98 with bias correction); stops when the smoothed loss exceeds 4x its minimum. The weights
 * (batch-norm statistics included) are restored afterwards, so the sweep leaves the model as it found it.
 */
public final class LrFinder {
    private LrFinder() {
    }

    /**
     * Sweeps {@code learner} with the optimiser the training will use: a rate is only meaningful for its optimiser (SGD
     * with momentum wants rates tens of times AdamW's), so a job that trains with SGD must not be handed an AdamW rate.
     */
    public static LrFinderResult sweep(Learner learner, BatchSource train, double from, double to, int steps, dev.ich.core.training.Optimizer kind,
                                       double weightDecay, FitListener listener) {
        if (!(from > 0 && to > from && steps >= 2)) throw new IllegalArgumentException("need 0 < from < to and steps >= 2");
        List<Double> rates = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> smoothed = new ArrayList<>();
        boolean stoppedEarly = false;
        double[] current = {from};
        ParameterTracker tracker = (id, n) -> (float) current[0];
        Map<Parameter, NDArray> saved = learner.snapshot();
        Optimizer optimizer = switch (kind) {
            case ADAMW -> Optimizer.adamW().optLearningRateTracker(tracker).optWeightDecays((float) weightDecay).build();
            case SGD -> Optimizer.sgd().setLearningRateTracker(tracker).optMomentum(0.9f).optWeightDecays((float) weightDecay).build();
        };
        try (Trainer trainer = learner.newTrainer(optimizer)) {
            double average = 0;
            double minimum = Double.POSITIVE_INFINITY;
            int pass = 0;
            Iterator<Batch> batches = train.epoch(pass);
            for (int i = 0; i < steps; i++) {
                if (!batches.hasNext()) batches = train.epoch(++pass);
                current[0] = from * Math.pow(to / from, (double) i / (steps - 1));
                double loss = learner.trainStep(trainer, batches.next());
                average = 0.98 * average + 0.02 * loss;
                double smooth = average / (1 - Math.pow(0.98, i + 1));
                rates.add(current[0]);
                losses.add(loss);
                smoothed.add(smooth);
                listener.step(new StepProgress("lr-finder", 0, 1, i + 1, steps, loss, current[0]));
                minimum = Math.min(minimum, smooth);
                if (!Double.isFinite(smooth) || smooth > 4 * minimum) {
                    stoppedEarly = true;
                    break;
                }
            }
        } finally {
            learner.restore(saved);
        }
        return new LrFinderResult(rates, losses, smoothed, steepest(rates, losses), minimumOverTen(rates, smoothed), lowest(rates, losses),
                stoppedEarly);
    }

    /**
     * The rate where the loss falls fastest per decade: the most negative finite difference, against log10(rate), of
     * the raw losses averaged over a centred window (a tenth of the sweep, at least 5 points), looking only between the
     * first 10% of the points and that curve's minimum (the descent; after it the loss explodes). Why not the smoothed
     * curve the plot shows: its bias-corrected moving average is a plain mean of the first few losses, so on a short
     * sweep their noise (where nothing is learnt yet) looks steeper than the real descent, which the long memory
     * flattens: 28 steps on 377 phantom slices suggested 6.7e-7 while the loss fell between 3e-5 and 4e-4.
     */
    static double steepest(List<Double> rates, List<Double> losses) {
        int n = rates.size();
        if (n < 3) return rates.get(0);
        double[] mean = windowedMean(losses);
        int skipStart = Math.min(n / 10, n - 2);
        int minimum = lowestIndex(mean, skipStart);
        int best = skipStart;
        double bestSlope = Double.POSITIVE_INFINITY;
        for (int i = skipStart; i < minimum; i++) {
            double slope = (mean[i + 1] - mean[i]) / (Math.log10(rates.get(i + 1)) - Math.log10(rates.get(i)));
            if (slope < bestSlope) {
                bestSlope = slope;
                best = i;
            }
        }
        return rates.get(best);
    }

    /** The rate where the windowed mean of the losses is lowest, after the first 10% of the points. */
    static double lowest(List<Double> rates, List<Double> losses) {
        int n = rates.size();
        if (n < 3) return rates.get(0);
        return rates.get(lowestIndex(windowedMean(losses), Math.min(n / 10, n - 2)));
    }

    private static int lowestIndex(double[] mean, int from) {
        int minimum = from;
        for (int i = from; i < mean.length; i++) if (mean[i] < mean[minimum]) minimum = i;
        return minimum;
    }

    /** Each loss averaged with its neighbours over a centred window of a tenth of the sweep (at least 5 points). */
    private static double[] windowedMean(List<Double> losses) {
        int n = losses.size();
        int half = Math.max(2, n / 20);
        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            int count = 0;
            for (int j = Math.max(0, i - half); j <= Math.min(n - 1, i + half); j++) {
                if (Double.isFinite(losses.get(j))) {
                    sum += losses.get(j);
                    count++;
                }
            }
            mean[i] = count == 0 ? Double.POSITIVE_INFINITY : sum / count;
        }
        return mean;
    }

    /** fastai's other rule: the rate of the smoothed loss's minimum, divided by ten. */
    static double minimumOverTen(List<Double> rates, List<Double> smoothed) {
        int best = 0;
        for (int i = 1; i < smoothed.size(); i++) if (smoothed.get(i) < smoothed.get(best)) best = i;
        return rates.get(best) / 10;
    }
}
