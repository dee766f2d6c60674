package dev.ich.ingest;

import dev.ich.core.dicom.DicomProblem;

/**
 * Why an instance was refused. The names appear in JSON errors and as the metric tag, so they are a
 * contract; each maps to a PS3.18 STOW-RS failure reason code, an HTTP status for single uploads, and the
 * C-STORE response status the DIMSE door answers with (PS3.4 Annex GG, PS3.7 9.1.1.1.9; docs/dicom.md
 * has the table and the reasons for each choice).
 */
public enum Rejection {
    NotDicom(0xC000, 400, CStoreStatus.CANNOT_UNDERSTAND), Truncated(0xC000, 400, CStoreStatus.CANNOT_UNDERSTAND),
    UnreadableDicom(0xC000, 400, CStoreStatus.CANNOT_UNDERSTAND),
    MissingUid(0xA900, 422, CStoreStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS),
    InvalidUid(0xA900, 422, CStoreStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS),
    /** A refusal by policy, not a fault of the data set: over DIMSE "Refused: Not Authorized". */
    ModalityNotAllowed(0xA900, 422, CStoreStatus.NOT_AUTHORIZED),
    /** STOW-RS to /studies/{study} with an instance of another study (cannot happen over DIMSE). */
    WrongStudy(0xA900, 422, CStoreStatus.NOT_AUTHORIZED),
    /**
     * Same SOP Instance UID as a stored instance, different bytes (DIMSE "duplicate SOP instance"); over
     * DIMSE a refusal by policy (ich never overwrites), since 0111 is not among C-STORE's statuses.
     */
    ConflictingContent(0x0111, 409, CStoreStatus.NOT_AUTHORIZED),
    /** Over DIMSE "Refused: Out of Resources", as STOW's FailureReason: ich will not hold an instance that big. */
    TooLarge(0xA700, 413, CStoreStatus.OUT_OF_RESOURCES),
    WrongContentType(0xC000, 415, CStoreStatus.CANNOT_UNDERSTAND),
    /*
     * DICOM, but not a slice ich can decode: refused at the door by the decoder cleaning uses (core's SliceAdmission),
     * so a sender learns it at send time. Named as core's DicomProblem; "Cannot Understand" over STOW-RS and DIMSE.
     */
    /** A data set without PixelData (a report, a plan...) of an allowed Modality. */
    NoPixelData(0xC000, 422, CStoreStatus.CANNOT_UNDERSTAND),
    /** PixelData holds fewer values than Rows x Columns (the RSNA set's one corrupt file). */
    ShortPixelData(0xC000, 422, CStoreStatus.CANNOT_UNDERSTAND),
    /** A transfer syntax ich does not decode (JPEG 2000, JPEG-LS, 12-bit lossy JPEG...); the reason names it. */
    UnsupportedTransferSyntax(0xC000, 422, CStoreStatus.CANNOT_UNDERSTAND),
    Colour(0xC000, 422, CStoreStatus.CANNOT_UNDERSTAND),
    MultiFrame(0xC000, 422, CStoreStatus.CANNOT_UNDERSTAND),
    /** Rows, Columns, BitsAllocated or BitsStored impossible or unsupported, or a compressed frame that contradicts them. */
    BadPixelAttributes(0xC000, 422, CStoreStatus.CANNOT_UNDERSTAND),
    /** Inflating or decoding would produce more than the header declares: a decompression bomb (core's DicomLimits). */
    InflationBudget(0xC000, 422, CStoreStatus.CANNOT_UNDERSTAND),
    /** Sequences nested deeper than core's DicomLimits allow (64). */
    TooDeep(0xC000, 422, CStoreStatus.CANNOT_UNDERSTAND),
    /** More data elements, items and fragments than core's DicomLimits allow. */
    TooManyElements(0xC000, 422, CStoreStatus.CANNOT_UNDERSTAND),
    /** Object storage (or, over DIMSE, the event's record) failed: nothing acknowledged, the sender may retry. */
    StorageFailed(0x0110, 503, CStoreStatus.OUT_OF_RESOURCES);

    private final int failureReason;
    private final int httpStatus;
    private final int dimseStatus;

    Rejection(int failureReason, int httpStatus, int dimseStatus) {
        this.failureReason = failureReason;
        this.httpStatus = httpStatus;
        this.dimseStatus = dimseStatus;
    }

    /** Value of (0008,1197) FailureReason in a STOW-RS response. */
    public int failureReason() {
        return failureReason;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Status (0000,0900) of the C-STORE response that refuses the instance. */
    public int dimseStatus() {
        return dimseStatus;
    }

    /** Every problem of core's reader keeps its name. */
    static Rejection of(DicomProblem problem) {
        return switch (problem) {
            case NotDicom -> NotDicom;
            case Truncated -> Truncated;
            case TooLarge -> TooLarge;
            case NoPixelData -> NoPixelData;
            case ShortPixelData -> ShortPixelData;
            case UnsupportedTransferSyntax -> UnsupportedTransferSyntax;
            case Colour -> Colour;
            case MultiFrame -> MultiFrame;
            case BadPixelAttributes -> BadPixelAttributes;
            case InflationBudget -> InflationBudget;
            case TooDeep -> TooDeep;
            case TooManyElements -> TooManyElements;
            case ModalityNotAllowed -> ModalityNotAllowed;
        };
    }
}
