package dev.ich.core.phantom;

import dev.ich.core.label.Label;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One rendered slice in memory with its truth.
 *
 * @param hu                  intended Hounsfield units, row-major, rows x columns; -2000 outside a marked field of view
 * @param labels              labels of this slice (subtypes whose bleed covers at least {@link #MIN_BLEED_PIXELS}, plus ANY)
 * @param bleedPixels         pixels each subtype's bleeds cover in this slice (0 for absent subtypes)
 * @param skullBox            bounding box of everything inside the skull's outer edge; empty above the vertex
 * @param brainWindowFraction fraction of all pixels with 0 < HU < 80, the notebooks' drop criterion
 */
public record PhantomImage(int rows, int columns, short[] hu, Set<Label> labels, Map<Label, Integer> bleedPixels,
                           Optional<PixelBox> skullBox, double brainWindowFraction) {

    public static final int MIN_BLEED_PIXELS = Bleed.MIN_PIXELS;
    public static final int OUTSIDE_FIELD_OF_VIEW_HU = Source.OUTSIDE_FOV_HU;

    public int hu(int row, int column) {
        return hu[row * columns + column];
    }
}
