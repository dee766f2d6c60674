package dev.ich.core.clean;

/**
 * The seed's summary columns (cleaning step 4): min, max, mean and population standard deviation
 * of the stored values (before the rescale), and the fraction of pixels strictly inside the brain
 * window in HU.
 */
public record SliceStatistics(double min, double max, double mean, double std, double pctWindow) {

    /** The fraction of HU values strictly inside the brain window. */
    public static double brainWindowFraction(float[] hu) {
        Window brain = Windows.BRAIN;
        int inside = 0;
        for (float h : hu) if (brain.strictlyContains(h)) inside++;
        return (double) inside / hu.length;
    }

    /** One pass over stored values that also fills {@code hu} (HU = stored x slope + intercept). */
    static SliceStatistics computeAndRescale(int[] stored, double slope, double intercept, float[] hu) {
        Window brain = Windows.BRAIN;
        double lo = brain.lower(), hi = brain.upper();
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE, inWindow = 0;
        long sum = 0;
        double sumSq = 0;
        for (int i = 0; i < stored.length; i++) {
            int v = stored[i];
            if (v < min) min = v;
            if (v > max) max = v;
            sum += v;
            sumSq += (double) v * v;
            float h = (float) (v * slope + intercept);
            hu[i] = h;
            if (h > lo && h < hi) inWindow++;
        }
        int n = stored.length;
        double mean = (double) sum / n;
        double var = Math.max(0, sumSq / n - mean * mean);
        return new SliceStatistics(min, max, mean, Math.sqrt(var), (double) inWindow / n);
    }
}
