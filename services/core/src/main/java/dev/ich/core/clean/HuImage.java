package dev.ich.core.clean;

/** A slice in Hounsfield units, row-major. */
public record HuImage(int rows, int columns, float[] hu) {

    public HuImage {
        if (hu.length != rows * columns) throw new IllegalArgumentException("size mismatch");
    }

    public float at(int row, int column) {
        return hu[row * columns + column];
    }
}
