package dev.ich.core.dicom;

/**
 * Writes a changed copy of a DICOM instance (de-identification at the door is the reason it exists).
 * The result is a Part 10 file in the input's transfer syntax with a fresh file meta header; pixel
 * data is copied, not re-encoded. Implementations are thread-safe.
 */
public interface DicomRewriter {

    /** The instance with {@code edit} applied, or a typed failure when it cannot be read or written. */
    byte[] rewrite(byte[] part10, DicomEdit edit) throws DicomReadException;

    /**
     * A de-identified copy of the instance (see {@link Deidentification}), written like {@link #rewrite}.
     * The same input and the same {@code deidentification} always give the same bytes.
     */
    byte[] deidentify(byte[] part10, Deidentification deidentification) throws DicomReadException;

    /** The rewriter backed by PixelMed. */
    static DicomRewriter create() {
        return new PixelMedRewriter();
    }
}
