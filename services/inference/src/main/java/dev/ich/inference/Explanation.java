package dev.ich.inference;

import java.awt.image.BufferedImage;

/**
 * Where the served model looked for one label on one slice: the Grad-CAM map (the network's input size, values in
 * [0, 1]), and the map over the slice's brain window as an image and as PNG bytes.
 *
 * @param probability the model's probability of {@code label} for this slice (what {@code POST /predict} answers)
 */
public record Explanation(String sopInstanceUid, String label, double probability, float[][] cam,
                          BufferedImage overlay, byte[] png) {
}
