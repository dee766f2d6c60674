package dev.ich.model;

import java.util.List;

/**
 * One batch as plain arrays, ready for an NDArray: {@code images} is N x C x H x W floats in [0, 1]
 * (core's PlanarImage data, concatenated), {@code targets} N x K zeros and ones in {@link dev.ich.core.training.Task#labels()} order.
 */
public record Batch(List<String> uids, float[] images, float[] targets, int channels, int height, int width) {
    public Batch {
        int n = uids.size();
        if (images.length != n * channels * height * width) {
            throw new IllegalArgumentException("images hold " + images.length + " floats, not " + n + " x " + channels + " x "
                    + height + " x " + width);
        }
        if (n == 0 || targets.length % n != 0) throw new IllegalArgumentException("targets must be N x K with N = " + n);
    }

    public int size() {
        return uids.size();
    }

    public int outputs() {
        return targets.length / uids.size();
    }
}
