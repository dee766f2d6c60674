package dev.ich.ingest;

import dev.ich.core.dicom.DicomProblem;

/**
 * Why an instance was refused. The names appear in JSON errors and as the metric tag, so they are a
 * contract; each maps to a PS3.18 STOW-RS failure reason code and an HTTP status for single uploads.
 */
public enum Rejection {
    NotDicom(0xC000, 400), Truncated(0xC000, 400), UnreadableDicom(0xC000, 400),
    MissingUid(0xA900, 422), InvalidUid(0xA900, 422), ModalityNotAllowed(0xA900, 422),
    /** STOW-RS to /studies/{study} with an instance of another study. */
    WrongStudy(0xA900, 422),
    /** Same SOP Instance UID as a stored instance, different bytes (DIMSE "duplicate SOP instance"). */
    ConflictingContent(0x0111, 409),
    TooLarge(0xA700, 413), WrongContentType(0xC000, 415),
    /** Object storage failed: nothing was stored, the sender may retry. */
    StorageFailed(0x0110, 503);

    private final int failureReason;
    private final int httpStatus;

    Rejection(int failureReason, int httpStatus) {
        this.failureReason = failureReason;
        this.httpStatus = httpStatus;
    }

    /** Value of (0008,1197) FailureReason in a STOW-RS response. */
    public int failureReason() {
        return failureReason;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Header problems keep their meaning; a few collapse into one code because ingest reads no pixels. */
    static Rejection of(DicomProblem problem) {
        return switch (problem) {
            case NotDicom -> NotDicom;
            case Truncated -> Truncated;
            case TooLarge -> TooLarge;
            default -> UnreadableDicom;
        };
    }
}
