package dev.ich.core.phantom;

/** An axis-aligned box of pixels, bounds inclusive, rows top to bottom and columns left to right. */
public record PixelBox(int top, int left, int bottom, int right) {

    public PixelBox {
        if (bottom < top || right < left) throw new IllegalArgumentException("empty box " + top + "," + left + " .. " + bottom + "," + right);
    }

    public int height() {
        return bottom - top + 1;
    }

    public int width() {
        return right - left + 1;
    }

    public boolean contains(PixelBox other) {
        return other.top >= top && other.left >= left && other.bottom <= bottom && other.right <= right;
    }

    public boolean contains(int row, int column) {
        return row >= top && row <= bottom && column >= left && column <= right;
    }
}
