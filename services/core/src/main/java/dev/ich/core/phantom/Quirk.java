package dev.ich.core.phantom;

/**
 * The real data set's irregularities that a phantom slice carries, so the cleaning step meets each
 * one in tests. Each exists because the RSNA data has it (docs/reference-experiment.md, "Data set").
 */
public enum Quirk {
    /** BitsStored 12, HighBit 11 (the other sources store 16 bits). */
    BITS_STORED_12,
    /** PixelRepresentation 1: stored values are signed. */
    SIGNED_PIXELS,
    /** RescaleIntercept -1000 instead of the usual -1024. */
    INTERCEPT_1000,
    /** 12-bit data whose negative HU wrapped round 4096, intercept 0: needs the notebooks' pixel fix. */
    MIS_ENCODED_12_BIT,
    /** WindowCenter/WindowWidth hold two values. */
    MULTI_VALUED_WINDOW,
    /** Pixels outside the scanner's circular field of view are marked (HU -2000, or stored 0). */
    FIELD_OF_VIEW_MARKED,
    /** Rows/Columns differ from the usual size: the cleaning step must resample first. */
    ODD_SIZE,
    /** PixelData shorter than Rows x Columns x 2, like the real set's one corrupt file. */
    SHORT_PIXEL_DATA
}
