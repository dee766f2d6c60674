package dev.ich.core.dataset;

import java.util.Map;

/**
 * A slice's position along its series' slice axis, from a header row ({@code dev.ich.core.dicom}'s flattening:
 * {@code ImagePositionPatient}, {@code ImagePositionPatient1}, {@code ImagePositionPatient2}, and the six
 * {@code ImageOrientationPatient*} values). The RSNA data orders slices this way: the position projected on the
 * slice normal (row direction x column direction), which is right for tilted gantries where z alone is not.
 */
public final class SlicePosition {
    private SlicePosition() {
    }

    /** The projection on the normal; z ({@code ImagePositionPatient2}) without an orientation; null without a position. */
    public static Double of(Map<String, Object> row) {
        double[] p = numbers(row, "ImagePositionPatient", 3);
        if (p == null) return null;
        double[] o = numbers(row, "ImageOrientationPatient", 6);
        if (o == null) return p[2];
        double nx = o[1] * o[5] - o[2] * o[4];
        double ny = o[2] * o[3] - o[0] * o[5];
        double nz = o[0] * o[4] - o[1] * o[3];
        double norm = Math.sqrt(nx * nx + ny * ny + nz * nz);
        if (norm < 1e-6) return p[2]; // degenerate orientation: z is the best that is left
        return (p[0] * nx + p[1] * ny + p[2] * nz) / norm;
    }

    private static double[] numbers(Map<String, Object> row, String keyword, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            Object v = row.get(i == 0 ? keyword : keyword + i);
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) return null;
            out[i] = n.doubleValue();
        }
        return out;
    }
}
