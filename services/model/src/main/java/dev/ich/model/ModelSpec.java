package dev.ich.model;

import dev.ich.core.training.Architecture;
import dev.ich.core.training.Task;

/**
 * The network's shape: backbone, task (outputs), input channels and image side. Stored in model.json so
 * serving builds the same network.
 *
 * @param dropout dropout of the head's two dropout layers (fastai's default head uses 0.25 and 0.5; one value here)
 */
public record ModelSpec(Architecture architecture, Task task, int channels, int imageSize, double dropout) {
    public ModelSpec {
        if (architecture == null || task == null) throw new IllegalArgumentException("architecture and task are required");
        // 1 or 3 per cleaned PNG, times the slices of a 2.5D stack (dev.ich.core.dataset.SliceContext: at most 21)
        if (channels < 1 || channels > 63) throw new IllegalArgumentException("channels must be 1..63 (1 or 3 per slice of a 2.5D stack), not " + channels);
        if (imageSize < 32 || imageSize > 1024) throw new IllegalArgumentException("imageSize must be 32..1024, not " + imageSize);
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0, 1), not " + dropout);
    }
}
