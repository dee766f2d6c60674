package dev.ich.core.phantom;

/**
 * Below the skull base: maxilla with teeth, mandible, airway, maxillary sinuses and the cervical
 * spine in fat. Deliberately little soft tissue between 0 and 80 HU, so these slices fall under the
 * notebooks' 0.02 brain-window threshold and get dropped, as the real teeth-level slices do.
 */
final class Face {
    private Face() {
    }

    static double hu(Head head, Oval outer, double u, double v) {
        double s = head.scale(), hw = outer.halfWidth, front = outer.front, back = outer.back;
        if (sq(u / (9 * s)) + sq((v - 0.1 * front) / (7 * s)) < 1) return -1000; // airway
        if (sq((Math.abs(u) - 0.3 * hw) / (12 * s)) + sq((v - 0.45 * front) / (10 * s)) < 1) return -1000; // maxillary sinus
        double arch = sq(u / (0.55 * hw)) + sq((v - 0.25 * front) / (0.62 * front));
        double inner = sq(u / (0.55 * hw - 9)) + sq((v - 0.25 * front) / (0.62 * front - 9));
        if (v > 0.25 * front - 5 && arch < 1 && inner >= 1) {
            double tooth = Math.sin(14 * Angle.atan2(v - 0.25 * front, u));
            return tooth > 0.2 ? 2500 : 1300;
        }
        if (sq((Math.abs(u) - 0.62 * hw) / (5 * s)) + sq(v / (18 * s)) < 1) return 1200; // mandible
        double spine = Math.hypot(u, v + 0.35 * back);
        if (spine < 6 * s) return 30;
        if (spine < 13 * s) return 900;
        return -95; // fat
    }

    private static double sq(double x) {
        return x * x;
    }
}
