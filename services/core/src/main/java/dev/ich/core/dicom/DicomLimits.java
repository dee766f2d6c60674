package dev.ich.core.dicom;

/**
 * Guards against hostile or absurd input. A compressed file can declare a huge image in a few bytes
 * (a decompression bomb), so Rows x Columns is checked before pixel data is decoded.
 *
 * @param maxPixels largest Rows x Columns accepted
 * @param maxFileBytes largest file or body accepted
 */
public record DicomLimits(long maxPixels, long maxFileBytes) {
    /** 4096 x 4096 pixels and 256 MiB: far above any CT slice, far below what hurts a service. */
    public static final DicomLimits DEFAULT = new DicomLimits(4096L * 4096L, 256L * 1024 * 1024);

    public DicomLimits {
        if (maxPixels <= 0 || maxFileBytes <= 0) throw new IllegalArgumentException("limits must be positive");
    }
}
