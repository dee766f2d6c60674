package dev.ich.core.clean;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The hist-scaled channel's breakpoints (docs/reference-experiment.md, cleaning step 7, fastai's freqhist_bins): HU
 * values at quantiles 0.001, (i + 0.5) / n for i &lt; n, and 0.999 of a sample of slices, de-duplicated.
 * Scaling maps HU piecewise-linearly from the breakpoints to evenly spaced values in [0, 1], clamped
 * (numpy's interp). The bins are part of the pipeline version: the same bins clean and serve.
 */
public record HistogramBins(double[] edges) {
    public static final int DEFAULT_COUNT = 100;

    public HistogramBins {
        if (edges.length < 2) throw new IllegalArgumentException("histogram bins need at least 2 edges, got " + edges.length);
        for (int i = 1; i < edges.length; i++) {
            if (!(edges[i] > edges[i - 1])) throw new IllegalArgumentException("histogram bins must be strictly ascending");
        }
        edges = edges.clone();
    }

    /** freqhist_bins over a sample of HU values (sorted in place). */
    public static HistogramBins fromSample(float[] sample, int count) {
        if (sample.length == 0) throw new IllegalArgumentException("cannot compute histogram bins from an empty sample");
        Arrays.sort(sample);
        double[] q = new double[count + 2];
        q[0] = 0.001;
        for (int i = 0; i < count; i++) q[i + 1] = (double) i / count + 1.0 / (2 * count);
        q[count + 1] = 0.999;
        double[] picked = new double[q.length];
        int distinct = 0;
        for (double t : q) {
            double v = sample[(int) (sample.length * t)];
            if (distinct == 0 || v > picked[distinct - 1]) picked[distinct++] = v;
        }
        double[] unique = Arrays.copyOf(picked, distinct);
        Arrays.sort(unique); // quantiles of a sorted sample are ascending; unique() in numpy also sorts
        return new HistogramBins(unique);
    }

    /** The shipped default: computed from a phantom sample, see docs/cleaning-transforms.md. */
    public static HistogramBins defaults() {
        try (InputStream in = HistogramBins.class.getResourceAsStream("default-bins.txt")) {
            if (in == null) throw new IllegalStateException("default-bins.txt missing from the core jar");
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Bins as people write them: a JSON array (what {@code ./ich bins} writes) or numbers separated
     * by spaces, commas or newlines. The one parser for every bins file.
     */
    public static HistogramBins parse(String text) {
        String body = text.strip();
        if (body.startsWith("[") && body.endsWith("]")) body = body.substring(1, body.length() - 1).strip();
        if (body.isEmpty()) throw new IllegalArgumentException("histogram bins: no numbers found");
        try {
            return new HistogramBins(Arrays.stream(body.split("[\\s,]+")).mapToDouble(Double::parseDouble).toArray());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("histogram bins: not a number: " + e.getMessage(), e);
        }
    }

    /** numpy.interp(hu, edges, linspace(0, 1, len(edges))), clamped to [0, 1]. */
    public double scale(double hu) {
        double[] e = edges;
        int n = e.length;
        if (hu <= e[0]) return 0;
        if (hu >= e[n - 1]) return 1;
        int i = Arrays.binarySearch(e, hu);
        if (i >= 0) return (double) i / (n - 1);
        int hi = -i - 1, lo = hi - 1;
        double t = (hu - e[lo]) / (e[hi] - e[lo]);
        return (lo + t) / (n - 1);
    }

    /**
     * {@link #scale} as 8-bit values tabulated every 1/16 HU: the hist channel costs a table read per
     * pixel instead of a binary search. Within a step the scale moves by less than one 8-bit level,
     * so a value differs from the exact one by at most 1.
     */
    public Lookup lookup() {
        double lo = edges[0], hi = edges[edges.length - 1];
        int steps = (int) Math.ceil((hi - lo) * Lookup.PER_HU) + 1;
        byte[] table = new byte[steps + 1];
        for (int i = 0; i <= steps; i++) table[i] = (byte) (int) Math.floor(scale(lo + i / (double) Lookup.PER_HU) * 255 + 0.5);
        return new Lookup((float) lo, table);
    }

    /** See {@link #lookup()}. */
    public record Lookup(float lowest, byte[] table) {
        static final int PER_HU = 16;

        public byte toByte(float hu) {
            float x = (hu - lowest) * PER_HU;
            if (x <= 0) return 0;
            int i = (int) (x + 0.5f);
            return i >= table.length ? (byte) 255 : table[i];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistogramBins other && Arrays.equals(edges, other.edges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(edges);
    }

    @Override
    public String toString() {
        return "HistogramBins" + Arrays.toString(edges);
    }
}
