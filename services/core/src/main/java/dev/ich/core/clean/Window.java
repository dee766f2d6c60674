package dev.ich.core.clean;

/**
 * A display window in Hounsfield units, written (width, level) as radiologists and the seed do.
 * Windowing clips HU to [level - width div 2, level + width div 2] and scales to [0, 1].
 */
public record Window(String name, int width, int level) {

    public Window {
        if (width <= 0) throw new IllegalArgumentException("window " + name + ": width must be positive, got " + width);
    }

    /** Lower edge: level - width div 2 (integer division, as the seed computes it). */
    public int lower() {
        return level - width / 2;
    }

    /** Upper edge: level + width div 2. */
    public int upper() {
        return level + width / 2;
    }

    /** Strictly inside the window on both ends, the seed's rule for the brain-window fraction. */
    public boolean strictlyContains(double hu) {
        return hu > lower() && hu < upper();
    }

    /** HU clipped to the window and scaled to [0, 1]. */
    public double apply(double hu) {
        double lo = lower(), hi = upper();
        if (hu <= lo) return 0;
        if (hu >= hi) return 1;
        return (hu - lo) / (hi - lo);
    }
}
