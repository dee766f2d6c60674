package dev.ich.core.dicom;

/** The file is DICOM, but its pixel data is encoded in a transfer syntax ich cannot decode. */
public final class UnsupportedTransferSyntaxException extends DicomReadException {
    private final String transferSyntaxUid;

    public UnsupportedTransferSyntaxException(String transferSyntaxUid, String detail) {
        super(DicomProblem.UnsupportedTransferSyntax, "unsupported transfer syntax "
                + TransferSyntaxes.describe(transferSyntaxUid) + (detail == null || detail.isBlank() ? "" : ": " + detail)
                + "; supported: " + TransferSyntaxes.supportedDescription());
        this.transferSyntaxUid = transferSyntaxUid;
    }

    public String transferSyntaxUid() {
        return transferSyntaxUid;
    }
}
