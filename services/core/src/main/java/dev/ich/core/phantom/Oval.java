package dev.ich.core.phantom;

/**
 * An egg-shaped ellipse in head coordinates (mm; u to the patient's left, v anterior): one
 * half-width and separate front and back half-lengths, because heads are longer behind than in front.
 * {@link #q} is the squared normalised radius: below 1 inside. An oval of zero size contains nothing.
 */
final class Oval {
    static final Oval NONE = new Oval(0, 0, 0, 0, 0);

    final double cu, cv, halfWidth, front, back;
    private final double iw, iF, iB;
    private final boolean empty;

    Oval(double cu, double cv, double halfWidth, double front, double back) {
        this.cu = cu;
        this.cv = cv;
        this.halfWidth = halfWidth;
        this.front = front;
        this.back = back;
        this.empty = halfWidth <= 0 || front <= 0 || back <= 0;
        this.iw = empty ? 0 : 1 / (halfWidth * halfWidth);
        this.iF = empty ? 0 : 1 / (front * front);
        this.iB = empty ? 0 : 1 / (back * back);
    }

    double q(double u, double v) {
        if (empty) return Double.POSITIVE_INFINITY;
        double du = u - cu, dv = v - cv;
        return du * du * iw + dv * dv * (dv > 0 ? iF : iB);
    }

    boolean contains(double u, double v) {
        return q(u, v) < 1;
    }

    Oval scaled(double f) {
        return new Oval(cu, cv, halfWidth * f, front * f, back * f);
    }

    Oval inset(double mm) {
        return new Oval(cu, cv, halfWidth - mm, front - mm, back - mm);
    }

    Oval shifted(double du, double dv) {
        return new Oval(cu + du, cv + dv, halfWidth, front, back);
    }

    /** Rough mean radius, to turn a normalised radius into millimetres near the edge. */
    double meanRadius() {
        return (2 * halfWidth + front + back) / 4;
    }

    boolean isEmpty() {
        return empty;
    }
}
