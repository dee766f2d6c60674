package dev.ich.core.clean;

/**
 * The notebooks' summary columns (cleaning step 4): min, max, mean and population standard deviation
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
        float lo = brain.lower(), hi = brain.upper();
        float s = (float) slope, b = (float) intercept;
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE, inWindow = 0;
        long sum = 0, sumSq = 0; // exact: |v| < 2^16, so v^2 sums over 2^24 pixels fit in a long
        for (int i = 0; i < stored.length; i++) {
            int v = stored[i];
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSq += (long) v * v;
            float h = v * s + b;
            hu[i] = h;
            if (h > lo && h < hi) inWindow++;
        }
        int n = stored.length;
        double mean = (double) sum / n;
        double var = Math.max(0, (double) sumSq / n - mean * mean);
        return new SliceStatistics(min, max, mean, Math.sqrt(var), (double) inWindow / n);
    }
}
