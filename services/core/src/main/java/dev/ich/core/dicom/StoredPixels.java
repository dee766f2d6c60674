package dev.ich.core.dicom;

/**
 * Stored pixel values of one frame, row-major, already sign-corrected per PixelRepresentation and
 * BitsStored. A flat array, because every transform walks it linearly; {@link #toArray2D()} gives
 * the 2-D view when a caller wants one.
 */
public record StoredPixels(int rows, int columns, int[] values) {

    public StoredPixels {
        if (values.length != rows * columns) {
            throw new IllegalArgumentException("expected " + rows + "x" + columns + " values, got " + values.length);
        }
    }

    public int at(int row, int column) {
        return values[row * columns + column];
    }

    public int[][] toArray2D() {
        int[][] out = new int[rows][columns];
        for (int r = 0; r < rows; r++) System.arraycopy(values, r * columns, out[r], 0, columns);
        return out;
    }
}
