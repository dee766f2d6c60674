package dev.ich.core.phantom;

import java.util.SplittableRandom;

/**
 * One patient's head: size, shape, layer thicknesses, tissue densities and how it sits in the
 * scanner (offset, rotation, and their drift from slice to slice because heads are tilted).
 * Lengths in mm; depths are measured downward from the vertex.
 */
record Head(double scale, double halfWidth, double halfFront, double halfBack, double domeDepth,
            double scalp, double outerTable, double diploe, double innerTable,
            double cortex, int sulci, double sulcusDepth, double sulcusPhase, double ventricleSize,
            double offsetU, double offsetV, double driftU, double driftV, double rotation, double rotationDrift,
            Tissue tissue) {

    /** Per-patient Hounsfield units, inside the ranges radiology texts give. */
    record Tissue(int scalp, int cortical, int diploe, int grey, int white, int csf, double noiseSd) {
    }

    static Head draw(SplittableRandom rng) {
        double s = rng.nextDouble(0.9, 1.05);
        return new Head(s,
                70 * s * rng.nextDouble(0.95, 1.05), 86 * s * rng.nextDouble(0.96, 1.04), 91 * s * rng.nextDouble(0.96, 1.04),
                55 * s,
                rng.nextDouble(3.5, 6), rng.nextDouble(1.5, 2.5), rng.nextDouble(2, 4), rng.nextDouble(1.2, 2),
                rng.nextDouble(2.5, 3.5), rng.nextInt(26, 38), rng.nextDouble(8, 14), rng.nextDouble(0, 2 * Math.PI),
                rng.nextDouble(0.8, 1.5),
                rng.nextDouble(-6, 6), rng.nextDouble(-6, 6), rng.nextDouble(-0.06, 0.06), rng.nextDouble(-0.06, 0.06),
                Math.toRadians(rng.nextDouble(-12, 12)), Math.toRadians(rng.nextDouble(-0.05, 0.05)),
                new Tissue(rng.nextInt(25, 55), rng.nextInt(1000, 1500), rng.nextInt(450, 750),
                        rng.nextInt(36, 41), rng.nextInt(25, 30), rng.nextInt(2, 9), rng.nextDouble(3, 5)));
    }

    // Landmark depths below the vertex (mm), scaled with the head.
    double brainTop() { return (scalp + outerTable + diploe + innerTable) + 2; }
    double ventriclesTop() { return 40 * scale; }
    double ventriclesBottom() { return 75 * scale; }
    double skullBaseTop() { return 92 * scale; }
    double skullBaseBottom() { return 128 * scale; }
    double teethTop() { return 123 * scale; }

    /** The outer skin surface at a depth: a dome near the vertex, then full size, narrowing to the face. */
    Oval outer(double depth) {
        return surface(0, depth).scaled(taper(depth));
    }

    /** A surface lying {@code inset} mm inside the skin, cut at a depth (its own dome starts inset mm lower). */
    Oval surface(double inset, double depth) {
        double f = dome((depth - inset) / (domeDepth - inset));
        return new Oval(0, 0, (halfWidth - inset) * f, (halfFront - inset) * f, (halfBack - inset) * f);
    }

    double taper(double depth) {
        double x = (depth - skullBaseTop()) / (skullBaseBottom() - skullBaseTop() + 25);
        return 1 - 0.18 * Math.max(0, Math.min(1, x));
    }

    /** Share of the cranial cavity still filled with brain: 1 above the skull base, 0 at the teeth. */
    double brainShare(double depth) {
        double x = (depth - skullBaseTop()) / (skullBaseBottom() - skullBaseTop());
        return 1 - Math.max(0, Math.min(1, x));
    }

    private static double dome(double x) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        return Math.sqrt(1 - (1 - x) * (1 - x));
    }
}
