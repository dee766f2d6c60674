package dev.ich.model;

/** One optimisation step done: what the trainer turns into progress events (with an ETA). */
public record StepProgress(String phase, int epoch, int epochs, int step, int steps, double loss, double learningRate) {
}
