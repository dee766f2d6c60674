package dev.ich.core.phantom;

/**
 * What lies inside the dura at one depth: cortex with sulci, white matter, deep grey nuclei,
 * ventricles and cisterns; at the skull base the brain shrinks and bone and air sinuses take its place.
 * {@link #hu} also leaves the pixel's kind, angle and depth below the brain surface in fields, which
 * the bleeds read next (one Brain per section and thread, so no allocation per pixel).
 */
final class Brain {
    static final int SURFACE_CSF = 1, VENTRICLE = 2, CISTERN = 3, PARENCHYMA = 4, BONE = 5;

    private final Head head;
    private final Head.Tissue t;
    private final Oval dura, oval;
    private final double s, depth, radius, arc, lateral, cisterns, thirdVentricle, fourthVentricle, deepGrey;
    private final boolean sinuses;

    int kind;
    double theta, depthIn;

    Brain(Head head, double depth, Oval dura) {
        this.head = head;
        this.t = head.tissue();
        this.s = head.scale();
        this.depth = depth;
        this.dura = dura;
        double share = head.brainShare(depth);
        this.oval = share >= 1 ? dura : dura.scaled(Math.sqrt(share)).shifted(0, -(1 - share) * 0.25 * dura.back);
        this.radius = oval.meanRadius();
        this.arc = 2 * Math.PI * radius / head.sulci();
        this.sinuses = share < 1;
        this.lateral = window(head.ventriclesTop(), head.ventriclesBottom());
        this.thirdVentricle = window(head.ventriclesBottom() - 18 * s, head.ventriclesBottom() + 12 * s);
        this.fourthVentricle = window(head.skullBaseTop(), head.skullBaseTop() + 15 * s);
        this.cisterns = window(head.skullBaseTop() - 10 * s, head.skullBaseTop() + 10 * s);
        this.deepGrey = window(head.ventriclesTop() + 8 * s, head.ventriclesBottom() + 6 * s);
    }

    /** 0 outside [from, to], rising to 1 in the middle: how developed a structure is at this depth. */
    private double window(double from, double to) {
        if (depth <= from || depth >= to) return 0;
        return Math.sin(Math.PI * (depth - from) / (to - from));
    }

    double hu(double u, double v) {
        double q = oval.q(u, v);
        if (q >= 1) {
            kind = BONE;
            return sinus(u, v) ? -1000 : t.cortical() * 0.8;
        }
        double uu = u - oval.cu, vv = v - oval.cv;
        depthIn = (1 - Math.sqrt(q)) * radius;
        theta = Angle.atan2(vv / (vv > 0 ? oval.front : oval.back), uu / oval.halfWidth);
        double vs = head.ventricleSize() * s;
        if (lateral > 0) {
            double w = lateral;
            double across = Math.abs(uu) - (4 + 3 * w) * vs + 0.12 * vv;
            double a = (1.5 + 3.5 * w) * vs, b = (8 + 16 * w) * vs, along = vv - 3 * s;
            if (across * across / (a * a) + along * along / (b * b) < 1) return csf(VENTRICLE);
        }
        if (thirdVentricle > 0.2 && Math.abs(uu) < 1.3 * vs && Math.abs(vv + 2) < 9 * s) return csf(VENTRICLE);
        if (fourthVentricle > 0.2) {
            double a = uu / (4 * s), b = (vv + 0.45 * oval.back) / (3 * s);
            if (a * a + b * b < 1) return csf(VENTRICLE);
        }
        if (cisterns > 0.2) {
            double r = Math.hypot(uu, vv - 8 * s);
            if (r > 11 * s && r < 14.5 * s) return csf(CISTERN);
        }
        double cortex = head.cortex();
        if (Math.abs(uu) < 1 && Math.abs(vv) > 0.3 * radius) return csf(SURFACE_CSF); // interhemispheric fissure
        if (depthIn < 0.8) return csf(SURFACE_CSF);
        kind = PARENCHYMA;
        if (Math.abs(uu) < 1 + cortex && Math.abs(vv) > 0.3 * radius) return t.grey();
        double deepest = head.sulcusDepth() + cortex + 0.8;
        if (depthIn < deepest) {
            double n = head.sulci();
            double phase = theta * n / (2 * Math.PI) + 0.25 * Math.sin(3 * theta + head.sulcusPhase()) + 0.02 * depth;
            double gap = Math.abs(phase - Math.rint(phase)) * arc;
            double wave = Math.sin(5 * theta + head.sulcusPhase() + 0.05 * depth);
            double sulcus = head.sulcusDepth() * (0.6 + 0.4 * wave * wave);
            if (gap < 0.7 && depthIn < sulcus) return csf(SURFACE_CSF);
            if (depthIn < 0.8 + cortex || gap < 0.7 + cortex && depthIn < sulcus + cortex) return t.grey();
        }
        if (deepGrey > 0.3) {
            double a = (Math.abs(uu) - 17 * s) / (6 * s), b = vv / (11 * s);
            if (a * a + b * b < deepGrey) return t.grey();
        }
        return t.white();
    }

    private double csf(int csfKind) {
        kind = csfKind;
        return t.csf();
    }

    /** Frontal/sphenoid sinuses in front and mastoid air cells behind the ears, only at the skull base. */
    private boolean sinus(double u, double v) {
        if (!sinuses) return false;
        double a = u / (dura.halfWidth * 0.35), b = (v - dura.front * 0.6) / (dura.front * 0.25);
        if (a * a + b * b < 1) return true;
        double m = (Math.abs(u) - dura.halfWidth * 0.8) / (7 * s), n = (v + dura.back * 0.35) / (7 * s);
        return m * m + n * n < 1;
    }

    boolean inBlob(double u, double v, Bleed bleed, double scale) {
        double du = u - oval.cu - bleed.centerU() * oval.halfWidth;
        double dv = v - oval.cv - bleed.centerV() * (bleed.centerV() > 0 ? oval.front : oval.back);
        double r = Math.hypot(du, dv), max = bleed.size() * scale;
        if (r >= max * (1 + bleed.lobes())) return false;
        double phi = Angle.atan2(dv, du);
        return r < max * (1 + bleed.lobes() * Math.sin(2 * phi + bleed.phase()) * Math.cos(3 * phi - bleed.phase()));
    }

    /** Blood in the ventricles layers behind a level (patients lie on their back). */
    boolean posteriorTo(double v, double cut) {
        return v - oval.cv < cut;
    }
}
