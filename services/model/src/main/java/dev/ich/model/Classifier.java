package dev.ich.model;

import ai.djl.nn.Parameter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * A saved model as a function from images to probabilities, for serving: {@code N x C x H x W} floats in [0, 1]
 * (channel-first, as {@link Batch} holds them) to {@code N x K} sigmoid probabilities in {@link dev.ich.core.training.Task#labels()} order.
 * Runs the learner's own inference path (batch norm on running statistics, no dropout), so serving and validation
 * compute the same numbers. Not thread-safe, like the learner it wraps: a server keeps a pool of them.
 */
public final class Classifier implements AutoCloseable {
    private final Learner learner;

    private Classifier(Learner learner) {
        this.learner = learner;
    }

    /** A directory written by {@link Learner#save(Path)} (model.json and parameters.params). */
    public static Classifier load(Path dir) throws IOException {
        Learner learner = Learner.load(dir);
        // The learner readies its weights for training (gradients on); a classifier never trains, and with gradients
        // on, libtorch would record every forward pass for a backward that never comes (on threads in grad mode).
        for (Parameter p : learner.network().block().getParameters().values()) p.getArray().setRequiresGradient(false);
        return new Classifier(learner);
    }

    public ModelSpec spec() {
        return learner.spec();
    }

    /** The network, read-only: for explanations ({@code dev.ich.model.explain.GradCam}), which run it in two parts. */
    public Networks.Network network() {
        return learner.network();
    }

    /** {@code images} holds {@code n} images of the network's channels and side; returns n x K probabilities. */
    public float[] probabilities(float[] images, int n) {
        ModelSpec spec = learner.spec();
        int side = spec.imageSize();
        long expected = (long) n * spec.channels() * side * side;
        if (n < 1 || images.length != expected) {
            throw new IllegalArgumentException("expected " + n + " x " + spec.channels() + " x " + side + " x " + side + " = "
                    + expected + " floats, got " + images.length);
        }
        List<String> ids = Collections.nCopies(n, "");
        Batch batch = new Batch(ids, images, new float[n * spec.task().outputs()], spec.channels(), side, side);
        return learner.predict(BatchSource.of(List.of(batch))).probabilities();
    }

    @Override
    public void close() {
        learner.close();
    }
}
