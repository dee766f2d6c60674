package dev.ich.core.dicom;

/**
 * The attributes that say how stored values become Hounsfield units and pictures.
 * HU = stored x rescaleSlope + rescaleIntercept.
 */
public record PixelAttributes(
        int rows,
        int columns,
        int bitsAllocated,
        int bitsStored,
        int highBit,
        int pixelRepresentation,
        double rescaleSlope,
        double rescaleIntercept,
        String photometricInterpretation) {

    public boolean signed() {
        return pixelRepresentation == 1;
    }

    /** The same attributes with another intercept (the notebooks' pixel fix sets it to -1000). */
    public PixelAttributes withRescaleIntercept(double intercept) {
        return new PixelAttributes(rows, columns, bitsAllocated, bitsStored, highBit, pixelRepresentation,
                rescaleSlope, intercept, photometricInterpretation);
    }
}
