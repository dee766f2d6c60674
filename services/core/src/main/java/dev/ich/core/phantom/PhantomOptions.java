package dev.ich.core.phantom;

/**
 * What to generate. Same options (seed included) give byte-identical output.
 *
 * @param studies               number of studies, one patient each
 * @param seed                  the only source of randomness
 * @param slicesPerStudy        axial slices per study, vertex to teeth (spacing grows above 5 mm when few)
 * @param positiveRate          target fraction of slices with any bleed (the real data: about 1 in 7)
 * @param includeShortPixelData write exactly one file whose PixelData is cut short, like the real set's corrupt file
 * @param size                  rows and columns of ordinary slices; a few studies differ on purpose
 */
public record PhantomOptions(int studies, long seed, int slicesPerStudy, double positiveRate,
                             boolean includeShortPixelData, int size) {

    public static final int DEFAULT_SLICES_PER_STUDY = 32;
    public static final double DEFAULT_POSITIVE_RATE = 1.0 / 7;
    public static final int DEFAULT_SIZE = 512;
    /** Above this the bleeds would not fit into the slices that show brain. */
    public static final double MAX_POSITIVE_RATE = 0.5;

    public PhantomOptions {
        if (studies < 1) throw new IllegalArgumentException("studies must be >= 1, got " + studies);
        if (slicesPerStudy < 4) throw new IllegalArgumentException(
                "slicesPerStudy must be >= 4 (vertex, brain, skull base, teeth), got " + slicesPerStudy);
        if (!(positiveRate >= 0 && positiveRate <= MAX_POSITIVE_RATE)) throw new IllegalArgumentException(
                "positiveRate must be in [0, " + MAX_POSITIVE_RATE + "], got " + positiveRate);
        if (size < 128 || size > 1024) throw new IllegalArgumentException("size must be in [128, 1024], got " + size);
    }

    public static PhantomOptions of(int studies, long seed) {
        return new PhantomOptions(studies, seed, DEFAULT_SLICES_PER_STUDY, DEFAULT_POSITIVE_RATE, false, DEFAULT_SIZE);
    }

    public PhantomOptions withSlicesPerStudy(int slices) {
        return new PhantomOptions(studies, seed, slices, positiveRate, includeShortPixelData, size);
    }

    public PhantomOptions withPositiveRate(double rate) {
        return new PhantomOptions(studies, seed, slicesPerStudy, rate, includeShortPixelData, size);
    }

    public PhantomOptions withShortPixelData(boolean include) {
        return new PhantomOptions(studies, seed, slicesPerStudy, positiveRate, include, size);
    }

    public PhantomOptions withSize(int rowsAndColumns) {
        return new PhantomOptions(studies, seed, slicesPerStudy, positiveRate, includeShortPixelData, rowsAndColumns);
    }

    /**
     * Distance between slice centres in mm: 5 mm like the real data, stretched when there are too few
     * slices to reach from above the vertex down to the teeth (so small test sets still have both ends).
     */
    public double sliceSpacingMm() {
        return Math.max(5.0, 155.0 / (slicesPerStudy - 1));
    }
}
