package dev.ich.core.clean;

import dev.ich.core.dicom.PixelAttributes;

/**
 * The notebooks' repair for mis-encoded 12-bit slices (docs/reference-experiment.md, cleaning step 2): about 5,300 RSNA
 * slices store unsigned values with an intercept near 0 where -1000 was meant, wrapped modulo 4096.
 */
public final class PixelFix {
    /** Intercepts at or above this mark a mis-encoded slice (when PixelRepresentation is 0). */
    public static final double INTERCEPT_THRESHOLD = -100;
    public static final double FIXED_INTERCEPT = -1000;

    private PixelFix() {
    }

    public static boolean applies(PixelAttributes a) {
        return a.pixelRepresentation() == 0 && a.rescaleIntercept() >= INTERCEPT_THRESHOLD;
    }

    /**
     * Repairs {@code stored} in place when the rule applies: add 1000, subtract 4096 from values now
     * at or above 4096; returns the attributes to use afterwards (intercept -1000), or {@code a} unchanged.
     */
    public static PixelAttributes applyInPlace(int[] stored, PixelAttributes a) {
        if (!applies(a)) return a;
        for (int i = 0; i < stored.length; i++) {
            int v = stored[i] + 1000;
            stored[i] = v >= 4096 ? v - 4096 : v;
        }
        return a.withRescaleIntercept(FIXED_INTERCEPT);
    }
}
