package dev.ich.core.phantom;

/** A fast atan2 (error below 0.005 rad): Math.atan2 per brain pixel would dominate rendering time. */
final class Angle {
    private Angle() {
    }

    static double atan2(double y, double x) {
        double ax = Math.abs(x), ay = Math.abs(y);
        double a = Math.min(ax, ay) / (Math.max(ax, ay) + 1e-300);
        double s = a * a;
        double r = ((-0.0464964749 * s + 0.15931422) * s - 0.327622764) * s * a + a;
        if (ay > ax) r = Math.PI / 2 - r;
        if (x < 0) r = Math.PI - r;
        return y < 0 ? -r : r;
    }
}
