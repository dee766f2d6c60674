package dev.ich.core.clean;

/**
 * Bilinear resampling with half-pixel centres (align_corners = false, as PIL, OpenCV and the
 * Python reference do): output index i samples source position (i + 0.5) x in/out - 0.5, clamped
 * to the source, which replicates the border.
 */
public final class Bilinear {
    private Bilinear() {
    }

    /** Resamples the square region {@code box} of {@code src} to {@code outRows x outColumns}. */
    public static float[] resample(float[] src, int srcColumns, CropBox box, int outRows, int outColumns) {
        return resample(src, srcColumns, box.row(), box.column(), box.side(), box.side(), outRows, outColumns);
    }

    public static float[] resample(float[] src, int srcColumns, int row0, int col0, int regionRows, int regionColumns,
                                   int outRows, int outColumns) {
        int[] c0 = new int[outColumns];
        int[] c1 = new int[outColumns];
        float[] cw = new float[outColumns];
        axis(regionColumns, outColumns, col0, c0, c1, cw);
        int[] r0 = new int[outRows];
        int[] r1 = new int[outRows];
        float[] rw = new float[outRows];
        axis(regionRows, outRows, row0, r0, r1, rw);

        float[] out = new float[outRows * outColumns];
        for (int y = 0; y < outRows; y++) {
            int top = r0[y] * srcColumns, bottom = r1[y] * srcColumns;
            float wy = rw[y];
            int o = y * outColumns;
            for (int x = 0; x < outColumns; x++) {
                float wx = cw[x];
                float t = src[top + c0[x]] + (src[top + c1[x]] - src[top + c0[x]]) * wx;
                float b = src[bottom + c0[x]] + (src[bottom + c1[x]] - src[bottom + c0[x]]) * wx;
                out[o + x] = t + (b - t) * wy;
            }
        }
        return out;
    }

    private static void axis(int in, int out, int offset, int[] lo, int[] hi, float[] w) {
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double s = (i + 0.5) * scale - 0.5;
            if (s < 0) s = 0;
            if (s > in - 1) s = in - 1;
            int f = (int) Math.floor(s);
            lo[i] = offset + f;
            hi[i] = offset + Math.min(f + 1, in - 1);
            w[i] = (float) (s - f);
        }
    }
}
