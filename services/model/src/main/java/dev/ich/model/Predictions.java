package dev.ich.model;

import java.util.List;

/** Sigmoid outputs and targets of one pass, N x K in {@link dev.ich.core.training.Task#labels()} order. */
public record Predictions(List<String> uids, float[] probabilities, float[] targets, int outputs) {
}
