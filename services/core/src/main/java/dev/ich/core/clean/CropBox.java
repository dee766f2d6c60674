package dev.ich.core.clean;

/** A square region of a slice: top-left corner and side, in pixels of the (512-pixel) image. */
public record CropBox(int row, int column, int side) {

    public boolean contains(int r, int c) {
        return r >= row && r < row + side && c >= column && c < column + side;
    }
}
