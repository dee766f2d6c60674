package dev.ich.core.dicom;

/**
 * Guards against hostile or absurd input, applied by the reader before PixelMed builds anything from the
 * bytes. A compressed file can declare a huge image in a few bytes (a decompression bomb), so what may come
 * out of an inflation is bounded by what the header declares; sequences nest by recursion in PixelMed, so
 * their depth is bounded before it parses; and every element costs an object, so their number is bounded too.
 *
 * <p>The inflation budget of a data set is {@code min(maxInflatedBytes, headerAllowance + declared pixel
 * bytes)}, where the declared pixel bytes are Rows x Columns x SamplesPerPixel x ceil(BitsAllocated / 8) x
 * NumberOfFrames of the data set being inflated (0 until those attributes have been read). It bounds the
 * inflated bytes of a Deflated Explicit VR Little Endian data set while they are inflated, and what an RLE or
 * JPEG frame may decode to before it is decoded.
 *
 * @param maxPixels        largest Rows x Columns accepted
 * @param maxFileBytes     largest file or body accepted
 * @param maxDepth         deepest nesting of sequences (a sequence at the top level is depth 1)
 * @param maxElements      most data elements, items and fragments in one data set
 * @param headerAllowance  inflated bytes allowed besides the declared pixels (every element but PixelData)
 * @param maxInflatedBytes hard cap on the bytes any one inflation or decoding may produce
 */
public record DicomLimits(long maxPixels, long maxFileBytes, int maxDepth, long maxElements, long headerAllowance,
                          long maxInflatedBytes) {
    /** Far above any real file: a CT slice nests 2 or 3 levels deep (a code inside a sequence inside another). */
    public static final int DEFAULT_MAX_DEPTH = 64;
    /** A CT slice has a few hundred elements; even an RT structure set with thousands of contours stays far below. */
    public static final long DEFAULT_MAX_ELEMENTS = 200_000;
    /** 16 MiB: CT headers are kilobytes, vendors' private blocks tens of kilobytes. */
    public static final long DEFAULT_HEADER_ALLOWANCE = 16L * 1024 * 1024;
    /** 64 MiB: the largest image the default pixel limit admits (4096 x 4096 x 2 bytes, 32 MiB) plus the allowance, rounded up. */
    public static final long DEFAULT_MAX_INFLATED_BYTES = 64L * 1024 * 1024;

    /** 4096 x 4096 pixels and 256 MiB, with the defaults above: far above any CT slice, far below what hurts a service. */
    public static final DicomLimits DEFAULT = new DicomLimits(4096L * 4096L, 256L * 1024 * 1024);

    public DicomLimits {
        if (maxPixels <= 0 || maxFileBytes <= 0 || maxDepth <= 0 || maxElements <= 0 || headerAllowance <= 0
                || maxInflatedBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** Pixel and file limits with the default depth, element count and inflation budget. */
    public DicomLimits(long maxPixels, long maxFileBytes) {
        this(maxPixels, maxFileBytes, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS, DEFAULT_HEADER_ALLOWANCE, DEFAULT_MAX_INFLATED_BYTES);
    }

    /** These limits with another largest file (a service's own body limit). */
    public DicomLimits withMaxFileBytes(long bytes) {
        return new DicomLimits(maxPixels, bytes, maxDepth, maxElements, headerAllowance, maxInflatedBytes);
    }

    /** The most bytes a data set whose image declares {@code declaredPixelBytes} may inflate to. */
    public long inflationBudget(long declaredPixelBytes) {
        long pixels = Math.max(0, declaredPixelBytes);
        return pixels >= maxInflatedBytes - headerAllowance ? maxInflatedBytes : Math.min(maxInflatedBytes, headerAllowance + pixels);
    }

    /** Rows x Columns x SamplesPerPixel x ceil(BitsAllocated / 8) x frames, saturating instead of overflowing. */
    public static long declaredPixelBytes(long rows, long columns, long samplesPerPixel, long bitsAllocated, long frames) {
        long bytesPerSample = (Math.max(0, bitsAllocated) + 7) / 8;
        long[] factors = {Math.max(0, rows), Math.max(0, columns), Math.max(1, samplesPerPixel), bytesPerSample, Math.max(1, frames)};
        long product = 1;
        for (long f : factors) {
            if (f != 0 && product > Long.MAX_VALUE / f) return Long.MAX_VALUE;
            product *= f;
        }
        return product;
    }
}
