package dev.ich.core.clean;

import dev.ich.core.dicom.DicomSlice;
import dev.ich.core.dicom.PixelAttributes;

/** A slice in Hounsfield units, row-major. */
public record HuImage(int rows, int columns, float[] hu) {

    public HuImage {
        if (hu.length != rows * columns) throw new IllegalArgumentException("size mismatch");
    }

    /** HU of a decoded slice, after the notebooks' pixel fix: what every view and transform starts from. */
    public static HuImage of(DicomSlice slice) {
        int[] stored = slice.pixels().values().clone();
        PixelAttributes a = PixelFix.applyInPlace(stored, slice.attributes());
        float[] hu = new float[stored.length];
        for (int i = 0; i < stored.length; i++) hu[i] = (float) (stored[i] * a.rescaleSlope() + a.rescaleIntercept());
        return new HuImage(a.rows(), a.columns(), hu);
    }

    public float at(int row, int column) {
        return hu[row * columns + column];
    }

    /** 8-bit greyscale pixels of this image in a window, v in [0, 1] to floor(v x 255 + 0.5). */
    public byte[] windowed(Window window) {
        byte[] out = new byte[hu.length];
        for (int i = 0; i < hu.length; i++) out[i] = CleaningPipeline.toByte(window.apply(hu[i]));
        return out;
    }

    /** A PNG of this image in a window (what a viewer or the labeling service shows). */
    public byte[] windowedPng(Window window) {
        return PngEncoder.encode(windowed(window), columns, rows, 1);
    }
}
