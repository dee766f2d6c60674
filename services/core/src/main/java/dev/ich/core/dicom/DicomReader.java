package dev.ich.core.dicom;

import java.nio.file.Path;

/**
 * Reads DICOM Part 10 files (or bare data sets) into ich's own types. The only door to the DICOM
 * toolkit: no other package, and no other module, sees PixelMed. Implementations are thread-safe.
 */
public interface DicomReader {

    /** Header, pixel attributes and stored values of a single-frame greyscale slice. */
    DicomSlice read(Path file) throws DicomReadException;

    /** As {@link #read(Path)}, from bytes in memory; {@code name} becomes the row's {@code fname}. */
    DicomSlice read(byte[] bytes, String name) throws DicomReadException;

    /**
     * As {@link #read(byte[], String)}, calling {@code beforePixels} with the header as soon as it is read: after
     * the bytes passed the {@link DicomLimits} (size, depth, elements, inflation budget), before any compressed
     * pixel data is decoded and before the pixel attributes are judged. A caller refuses there, by throwing,
     * what it can tell from the header alone, so an instance it does not want costs no decoding.
     */
    <E extends Exception> DicomSlice read(byte[] bytes, String name, HeaderCheck<E> beforePixels) throws DicomReadException, E;

    /** A look at the header before the pixels are decoded; it refuses by throwing. */
    @FunctionalInterface
    interface HeaderCheck<E extends Exception> {
        void check(DicomHeader header) throws DicomReadException, E;
    }

    /** The header row only; pixel data is neither decoded nor required (what ingest needs). */
    DicomHeader readHeader(byte[] bytes, String name) throws DicomReadException;

    /** The reader backed by PixelMed, with the given limits. */
    static DicomReader create(DicomLimits limits) {
        return new PixelMedReader(limits);
    }

    static DicomReader create() {
        return create(DicomLimits.DEFAULT);
    }
}
