package dev.ich.core.dicom;

import java.nio.charset.StandardCharsets;

/**
 * How the bytes are framed: a Part 10 file (128-byte preamble, "DICM", file meta information), or a
 * bare data set without preamble or meta header. Bare data sets exist in the wild (pydicom reads
 * them); we accept them when the first element is plausibly a group 0008 element, and read them as
 * explicit VR little endian when a VR follows the tag, implicit otherwise.
 */
record DataSetFraming(boolean part10, String assumedTransferSyntax) {

    static DataSetFraming detect(byte[] b) throws DicomReadException {
        if (b.length >= 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M') {
            return new DataSetFraming(true, null);
        }
        if (b.length >= 8) {
            int group = (b[0] & 0xff) | (b[1] & 0xff) << 8;
            int element = (b[2] & 0xff) | (b[3] & 0xff) << 8;
            if ((group == 0x0008 || group == 0x0002) && element < 0x0100) {
                boolean explicit = Character.isUpperCase(b[4]) && Character.isUpperCase(b[5]);
                return new DataSetFraming(false, explicit
                        ? TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN);
            }
        }
        throw new DicomReadException(DicomProblem.NotDicom, "not a DICOM file: no \"DICM\" marker at byte 128 and no"
                + " data element at the start (" + b.length + " bytes, begins with \"" + printable(b) + "\")");
    }

    private static String printable(byte[] b) {
        String s = new String(b, 0, Math.min(16, b.length), StandardCharsets.ISO_8859_1);
        return s.replaceAll("[^\\x20-\\x7e]", ".");
    }
}
