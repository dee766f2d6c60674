package dev.ich.core.phantom;

import dev.ich.core.label.Label;

import java.util.SplittableRandom;

/**
 * One haemorrhage in 3-D: a subtype, the depths it spans and a shape. Its cross-section at a depth
 * is full size in the middle and shrinks to about half at its first and last slice, so it covers
 * every slice of its span with enough pixels to be labelled.
 *
 * @param angle     where on the skull it sits (epidural, subdural, subarachnoid), radians in head coordinates
 * @param spread    angular half-extent along the skull (radians)
 * @param size      thickness (epidural, subdural) or radius (intraparenchymal) in mm
 * @param centerU   blob centre as a fraction of the brain's half-width (intraparenchymal)
 * @param centerV   blob centre as a fraction of the brain's half-length; for intraventricular how far forward blood reaches
 * @param lobes     amplitude of the irregular outline (intraparenchymal)
 * @param phase     phase of the irregular outline
 */
record Bleed(Label subtype, double depthCenter, double halfExtent, int hu,
             double angle, double spread, double size, double centerU, double centerV, double lobes, double phase) {

    /** A slice is labelled with a subtype when its bleed covers at least this many pixels there. */
    static final int MIN_PIXELS = 25;

    static Bleed draw(Label subtype, double fromDepth, double toDepth, SplittableRandom rng) {
        double center = (fromDepth + toDepth) / 2, half = (toDepth - fromDepth) / 2 + 2;
        // One bleed in five is faint (50-55 HU), the hard cases of the real data; fresh clots reach 90.
        int hu = rng.nextInt(5) == 0 ? rng.nextInt(50, 56) : rng.nextInt(58, 91);
        double angle = rng.nextDouble(-Math.PI, Math.PI);
        return switch (subtype) {
            case EPIDURAL -> new Bleed(subtype, center, half, hu, angle, rng.nextDouble(0.3, 0.55), rng.nextDouble(8, 18), 0, 0, 0, 0);
            case SUBDURAL -> new Bleed(subtype, center, half, hu, angle, rng.nextDouble(0.8, 1.6), rng.nextDouble(3, 9), 0, 0, 0, 0);
            case INTRAPARENCHYMAL -> new Bleed(subtype, center, half, hu, 0, 0, rng.nextDouble(6, 18),
                    rng.nextDouble(-0.5, 0.5), rng.nextDouble(-0.5, 0.5), rng.nextDouble(0.1, 0.3), rng.nextDouble(0, 6.28));
            case INTRAVENTRICULAR -> new Bleed(subtype, center, half, hu, 0, 0, 0, 0, rng.nextDouble(-0.3, 0.6), 0, 0);
            case SUBARACHNOID -> new Bleed(subtype, center, half, hu, angle, rng.nextDouble(0.6, 1.6), 0, 0, 0, 0, 0);
            case ANY -> throw new IllegalArgumentException("'any' is not a bleed subtype");
        };
    }

    /** Cross-section scale at a depth: 0 outside the span, 0.55 at its ends, 1 in the middle. */
    double scaleAt(double depth) {
        double x = (depth - depthCenter) / halfExtent;
        if (Math.abs(x) > 1) return 0;
        return 0.55 + 0.45 * Math.sqrt(1 - x * x);
    }

    /** Angular distance from this bleed's angle, wrapped to [0, pi]. */
    double angularDistance(double theta) {
        double d = Math.abs(theta - angle) % (2 * Math.PI);
        return d > Math.PI ? 2 * Math.PI - d : d;
    }
}
