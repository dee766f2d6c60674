package dev.ich.core.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@link DicomReader} on PixelMed. Stateless apart from its limits, so one instance serves all threads. */
final class PixelMedReader implements DicomReader {
    /** Encodings whose pixel data must be decompressed: check the declared size before doing so. */
    private static final Set<String> COMPRESSED = Set.of(TransferSyntaxes.RLE_LOSSLESS, TransferSyntaxes.JPEG_BASELINE,
            TransferSyntaxes.JPEG_EXTENDED, TransferSyntaxes.JPEG_LOSSLESS, TransferSyntaxes.JPEG_LOSSLESS_SV1);

    private final DicomLimits limits;

    PixelMedReader(DicomLimits limits) {
        this.limits = limits;
    }

    @Override
    public DicomSlice read(Path file) throws DicomReadException {
        return read(readFile(file), file.toString());
    }

    @Override
    public DicomSlice read(byte[] bytes, String name) throws DicomReadException {
        checkSize(bytes.length);
        DataSetFraming framing = DataSetFraming.detect(bytes);
        String ts = framing.part10() ? null : framing.assumedTransferSyntax();
        if (framing.part10()) {
            // Read the meta header and the pixel attributes first: it is cheap, names the transfer syntax,
            // and lets us refuse a decompression bomb before decoding anything.
            ParsedList head = parse(bytes, framing, true);
            ts = head.transferSyntax();
            if (!TransferSyntaxes.isSupported(ts)) throw new UnsupportedTransferSyntaxException(ts, null);
            if (COMPRESSED.contains(ts)) checkPixelAttributes(head.list(), name);
        }
        ParsedList parsed = parse(bytes, framing, false);
        AttributeList list = parsed.list();
        if (list.get(TagFromName.PixelData) == null) {
            if (!parsed.errors().isEmpty()) throw truncated(parsed.errors(), bytes.length);
            throw new DicomReadException(DicomProblem.NoPixelData, "no pixel data: the file is DICOM ("
                    + describeSopClass(list) + ") but holds no PixelData (7FE0,0010) to read as a slice");
        }
        PixelAttributes attributes = checkPixelAttributes(list, name);
        StoredPixels pixels = StoredValues.of(list.get(TagFromName.PixelData), attributes, parsed.errors());
        return new DicomSlice(new DicomHeader(HeaderRows.of(list, name), ts), attributes, pixels);
    }

    @Override
    public DicomHeader readHeader(byte[] bytes, String name) throws DicomReadException {
        checkSize(bytes.length);
        DataSetFraming framing = DataSetFraming.detect(bytes);
        ParsedList parsed = parse(bytes, framing, true);
        if (parsed.list().isEmpty() || !parsed.errors().isEmpty() && parsed.list().get(TagFromName.SOPInstanceUID) == null) {
            throw truncated(parsed.errors(), bytes.length);
        }
        return new DicomHeader(HeaderRows.of(parsed.list(), name), parsed.transferSyntax());
    }

    private record ParsedList(AttributeList list, String transferSyntax, List<String> errors) {
    }

    private ParsedList parse(byte[] bytes, DataSetFraming framing, boolean headerOnly) throws DicomReadException {
        AttributeList list = new AttributeList();
        List<String> errors = PixelMedLog.start();
        try (DicomInputStream in = framing.part10()
                ? new DicomInputStream(new ByteArrayInputStream(bytes))
                : new DicomInputStream(new ByteArrayInputStream(bytes), framing.assumedTransferSyntax(), false)) {
            if (headerOnly) list.read(in, TagFromName.PixelData);
            else list.read(in);
            String ts = framing.part10()
                    ? Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID)
                    : framing.assumedTransferSyntax();
            if (list.isEmpty()) {
                throw new DicomReadException(DicomProblem.NotDicom, "not a DICOM data set: nothing could be read from "
                        + bytes.length + " bytes" + (errors.isEmpty() ? "" : " (" + errors.get(0) + ")"));
            }
            return new ParsedList(list, ts, List.copyOf(errors));
        } catch (DicomException e) {
            String ts = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("No reader for") || msg.contains("does not support")) {
                throw new UnsupportedTransferSyntaxException(ts, msg);
            }
            throw new DicomReadException(DicomProblem.NotDicom, "not readable as DICOM: " + msg, e);
        } catch (IOException | RuntimeException e) {
            // PixelMed signals a cut-off stream with EOF-style IOExceptions; other runtime errors come from
            // garbage that happened to pass the framing check.
            if (!list.isEmpty()) throw truncated(List.of(String.valueOf(e.getMessage())), bytes.length);
            throw new DicomReadException(DicomProblem.NotDicom, "not readable as DICOM: " + e, e);
        } finally {
            PixelMedLog.stop();
        }
    }

    private PixelAttributes checkPixelAttributes(AttributeList list, String name) throws DicomReadException {
        int samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        String photometric = Attribute.getSingleStringValueOrDefault(list, TagFromName.PhotometricInterpretation, "MONOCHROME2").strip();
        if (samples != 1 || !photometric.startsWith("MONOCHROME")) {
            throw new DicomReadException(DicomProblem.Colour, "colour image (SamplesPerPixel " + samples
                    + ", PhotometricInterpretation " + photometric + "): ich reads greyscale CT slices only");
        }
        int frames = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1);
        if (frames > 1) {
            throw new DicomReadException(DicomProblem.MultiFrame, "multi-frame image (" + frames
                    + " frames): send each axial slice as its own single-frame instance");
        }
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        if (rows <= 0 || columns <= 0) {
            throw new DicomReadException(DicomProblem.BadPixelAttributes, "Rows and Columns must be positive, got "
                    + rows + " x " + columns);
        }
        if ((long) rows * columns > limits.maxPixels()) {
            throw new DicomReadException(DicomProblem.TooLarge, "image of " + rows + " x " + columns
                    + " pixels exceeds the limit of " + limits.maxPixels() + " pixels");
        }
        int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0);
        if (bitsAllocated != 8 && bitsAllocated != 16) {
            throw new DicomReadException(DicomProblem.BadPixelAttributes, "BitsAllocated " + bitsAllocated
                    + " is not supported: CT slices use 16 (or 8) bits per pixel");
        }
        int bitsStored = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, bitsAllocated);
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new DicomReadException(DicomProblem.BadPixelAttributes, "BitsStored " + bitsStored
                    + " does not fit in BitsAllocated " + bitsAllocated);
        }
        int highBit = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.HighBit, bitsStored - 1);
        int representation = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0);
        double slope = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1.0);
        double intercept = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0.0);
        if (slope == 0 || Double.isNaN(slope)) slope = 1.0; // a zero slope would erase the image; treat as absent
        return new PixelAttributes(rows, columns, bitsAllocated, bitsStored, highBit, representation, slope, intercept,
                photometric);
    }

    private void checkSize(long size) throws DicomReadException {
        if (size > limits.maxFileBytes()) {
            throw new DicomReadException(DicomProblem.TooLarge, "file of " + size + " bytes exceeds the limit of "
                    + limits.maxFileBytes() + " bytes");
        }
    }

    private byte[] readFile(Path file) throws DicomReadException {
        try {
            checkSize(Files.size(file));
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DicomReadException(DicomProblem.NotDicom, "no such file: " + file);
        } catch (IOException e) {
            throw new DicomReadException(DicomProblem.NotDicom, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static DicomReadException truncated(List<String> errors, int length) {
        String why = errors.isEmpty() ? "the data set ends early" : errors.get(0);
        return new DicomReadException(DicomProblem.Truncated, "truncated file (" + length + " bytes): " + why);
    }

    private static String describeSopClass(AttributeList list) {
        String modality = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.Modality);
        String sopClass = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID);
        return "Modality " + (modality.isEmpty() ? "unknown" : modality) + ", SOP class "
                + (sopClass.isEmpty() ? "unknown" : sopClass);
    }

    /** Extracts stored values per BitsAllocated/PixelRepresentation/BitsStored. */
    static final class StoredValues {
        private StoredValues() {
        }

        static StoredPixels of(Attribute pixelData, PixelAttributes a, List<String> errors) throws DicomReadException {
            int n = a.rows() * a.columns();
            int[] out = new int[n];
            try {
                if (a.bitsAllocated() == 16) {
                    if (!(pixelData instanceof OtherWordAttribute) && !(pixelData instanceof OtherByteAttribute)) {
                        throw new DicomReadException(DicomProblem.BadPixelAttributes,
                                "PixelData has an unexpected value representation for 16-bit pixels");
                    }
                    short[] s = pixelData.getShortValues();
                    requireLength(s == null ? 0 : s.length, n, errors);
                    fill16(s, out, a);
                } else {
                    byte[] b = pixelData.getByteValues();
                    requireLength(b == null ? 0 : b.length, n, errors);
                    for (int i = 0; i < n; i++) out[i] = a.signed() ? b[i] : b[i] & 0xff;
                }
            } catch (DicomException e) {
                throw new DicomReadException(DicomProblem.BadPixelAttributes, "cannot decode PixelData: " + e.getMessage(), e);
            }
            return new StoredPixels(a.rows(), a.columns(), out);
        }

        private static void fill16(short[] s, int[] out, PixelAttributes a) {
            int n = out.length;
            if (!a.signed()) {
                for (int i = 0; i < n; i++) out[i] = s[i] & 0xffff;
            } else if (a.bitsStored() >= 16) {
                for (int i = 0; i < n; i++) out[i] = s[i];
            } else {
                // Sign-extend from the stored bit width: bits above HighBit may hold anything.
                int shift = 32 - a.bitsStored();
                for (int i = 0; i < n; i++) out[i] = (s[i] << shift) >> shift;
            }
        }

        private static void requireLength(int have, int need, List<String> errors) throws DicomReadException {
            if (have >= need) return;
            if (!errors.isEmpty()) {
                throw new DicomReadException(DicomProblem.Truncated, "truncated file: PixelData holds " + have
                        + " of " + need + " values (" + errors.get(0) + ")");
            }
            throw new DicomReadException(DicomProblem.ShortPixelData, "PixelData holds " + have
                    + " values but Rows x Columns needs " + need + ": the file is corrupt; re-export it from the source");
        }
    }
}
