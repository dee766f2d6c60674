package dev.ich.core.clean;

/**
 * A display window in Hounsfield units, written (width, level) as radiologists and the notebooks do.
 * Windowing clips HU to [level - width div 2, level + width div 2] and scales to [0, 1].
 */
public record Window(String name, int width, int level) {

    public Window {
        if (width <= 0) throw new IllegalArgumentException("window " + name + ": width must be positive, got " + width);
    }

    /** Lower edge: level - width div 2 (integer division, as the notebooks compute it). */
    public int lower() {
        return level - width / 2;
    }

    /** Upper edge: level + width div 2. */
    public int upper() {
        return level + width / 2;
    }

    /** Strictly inside the window on both ends, the notebooks' rule for the brain-window fraction. */
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
