package dev.ich.model.explain;

/**
 * One Grad-CAM pass over {@code n} images.
 *
 * @param probabilities n x K sigmoid probabilities of the pass (the classifier's, in {@code Task.labels()} order)
 * @param outputs       K
 * @param labels        per image, the output index its map explains
 * @param cams          per image, H x W (the input's size) in [0, 1]
 * @param featureHeight height of the feature map the maps were computed on (input / 32 for ResNet)
 * @param featureWidth  its width
 */
public record Heatmaps(float[] probabilities, int outputs, int[] labels, float[][][] cams, int featureHeight, int featureWidth) {
    public int size() {
        return cams.length;
    }

    /** Image {@code i}'s probability of the label its map explains. */
    public float probability(int i) {
        return probabilities[i * outputs + labels[i]];
    }
}
