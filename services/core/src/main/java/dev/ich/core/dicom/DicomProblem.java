package dev.ich.core.dicom;

/**
 * Why a file could not become a slice. The names are part of the contract: services put them in
 * JSON errors and metrics, so a person can filter on them.
 */
public enum DicomProblem {
    /** Not a DICOM Part 10 file, nor a bare data set we can recognise. */
    NotDicom,
    /** The file ends before its declared content does. */
    Truncated,
    /** A valid data set without PixelData (a report, a plan, a presentation state...). */
    NoPixelData,
    /** PixelData holds fewer values than Rows x Columns (the RSNA set has one such file). */
    ShortPixelData,
    /** A transfer syntax we cannot decode; the message names it. */
    UnsupportedTransferSyntax,
    /** Colour (more than one sample per pixel, or a colour photometric interpretation). */
    Colour,
    /** More than one frame: ich works on single axial slices. */
    MultiFrame,
    /** Rows x Columns beyond the configured limit (protects against decompression bombs). */
    TooLarge,
    /** The header is DICOM but a required pixel attribute is missing or impossible. */
    BadPixelAttributes,
    /**
     * Inflating or decoding would produce more than the header declares (a decompression bomb): a deflated data
     * set beyond its budget, an RLE segment or a JPEG frame larger than Rows x Columns ({@link DicomLimits}).
     */
    InflationBudget,
    /** Sequences nested deeper than {@link DicomLimits#maxDepth()}: no real file does; parsing it would recurse without end. */
    TooDeep,
    /** More data elements, items and fragments than {@link DicomLimits#maxElements()}. */
    TooManyElements,
    /** A readable slice of a Modality the service does not take ({@link SliceAdmission}; CT by default). */
    ModalityNotAllowed
}
