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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
        return read(bytes, name, header -> {
        });
    }

    /**
     * The walk first ({@link DataSetScan}: size, depth, elements, inflation budget), then PixelMed. Native pixel
     * data is parsed in one pass. Compressed pixel data, and any transfer syntax ich does not decode, gets a header
     * pass first (stopping at PixelData, decompressing nothing), so the caller's check, the transfer syntax, the
     * pixel attributes and the compressed frames' own headers ({@link CompressedFrames}) are all judged before a
     * decoder runs.
     */
    @Override
    public <E extends Exception> DicomSlice read(byte[] bytes, String name, HeaderCheck<E> beforePixels) throws DicomReadException, E {
        checkSize(bytes.length);
        DataSetFraming framing = DataSetFraming.detect(bytes);
        DataSetScan scan = DataSetScan.of(bytes, framing, limits, false);
        String ts = scan.transferSyntaxUid();
        boolean decodedByUs = TransferSyntaxes.isSupported(ts);
        DataSetScan.PixelData top = scan.topLevelPixelData();
        if (decodedByUs && !COMPRESSED.contains(ts) && !scan.inflated() && top != null && !top.encapsulated()
                && !TransferSyntaxes.EXPLICIT_VR_BIG_ENDIAN.equals(ts)) {
            // The common case, a native little-endian slice: PixelMed reads the header only, and the values are
            // taken from the bytes at the offset the walk found (PixelMed reads 16-bit pixels one at a time).
            ParsedList head = parse(bytes, framing, scan, true);
            DicomHeader header = new DicomHeader(HeaderRows.of(head.list(), name), ts);
            beforePixels.check(header);
            PixelAttributes attributes = checkPixelAttributes(head.list(), name);
            return new DicomSlice(header, attributes, StoredValues.of(scan.data(), top, attributes, head.errors()));
        }
        if (decodedByUs && !COMPRESSED.contains(ts)) {
            ParsedList parsed = parse(bytes, framing, scan, false);
            AttributeList list = parsed.list();
            DicomHeader header = new DicomHeader(HeaderRows.of(list, name), ts);
            beforePixels.check(header);
            Attribute pixelData = list.get(TagFromName.PixelData);
            if (pixelData == null) throw noPixelData(list, parsed.errors(), bytes.length);
            PixelAttributes attributes = checkPixelAttributes(list, name);
            return new DicomSlice(header, attributes, StoredValues.of(pixelData, attributes, parsed.errors()));
        }
        ParsedList head = parse(bytes, framing, scan, true);
        DicomHeader header = new DicomHeader(HeaderRows.of(head.list(), name), ts);
        beforePixels.check(header);
        if (!decodedByUs) throw new UnsupportedTransferSyntaxException(ts, null);
        if (top == null) throw noPixelData(head.list(), head.errors(), bytes.length);
        PixelAttributes attributes = checkPixelAttributes(head.list(), name);
        for (DataSetScan.PixelData p : scan.pixelData()) {
            CompressedFrames.check(ts, p, p == top ? declared(attributes) : p.declared(), limits, scan.data());
        }
        ParsedList parsed = parse(bytes, framing, scan, false);
        Attribute pixelData = parsed.list().get(TagFromName.PixelData);
        if (pixelData == null) throw noPixelData(parsed.list(), parsed.errors(), bytes.length);
        return new DicomSlice(header, attributes, StoredValues.of(pixelData, attributes, parsed.errors()));
    }

    @Override
    public DicomHeader readHeader(byte[] bytes, String name) throws DicomReadException {
        checkSize(bytes.length);
        DataSetFraming framing = DataSetFraming.detect(bytes);
        DataSetScan scan = DataSetScan.of(bytes, framing, limits, true);
        ParsedList parsed = parse(bytes, framing, scan, true);
        if (parsed.list().isEmpty() || !parsed.errors().isEmpty() && parsed.list().get(TagFromName.SOPInstanceUID) == null) {
            throw truncated(parsed.errors(), bytes.length);
        }
        return new DicomHeader(HeaderRows.of(parsed.list(), name), scan.transferSyntaxUid());
    }

    private record ParsedList(AttributeList list, List<String> errors) {
    }

    /** What PixelMed makes of the bytes the walk passed: the file itself, or the data set the walk inflated. */
    private ParsedList parse(byte[] bytes, DataSetFraming framing, DataSetScan scan, boolean headerOnly) throws DicomReadException {
        AttributeList list = new AttributeList();
        if (headerOnly) list.setDecompressPixelData(false);
        List<String> errors = PixelMedLog.start();
        try (DicomInputStream in = scan.inflated()
                ? new DicomInputStream(new ByteArrayInputStream(scan.data(), 0, scan.size()), TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN, false)
                : framing.part10()
                ? new DicomInputStream(new ByteArrayInputStream(bytes))
                : new DicomInputStream(new ByteArrayInputStream(bytes), framing.assumedTransferSyntax(), false)) {
            if (headerOnly) list.read(in, TagFromName.PixelData);
            else list.read(in);
            if (list.isEmpty()) {
                throw new DicomReadException(DicomProblem.NotDicom, "not a DICOM data set: nothing could be read from "
                        + bytes.length + " bytes" + (errors.isEmpty() ? "" : " (" + errors.get(0) + ")"));
            }
            return new ParsedList(list, List.copyOf(errors));
        } catch (DicomException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("No reader for") || msg.contains("does not support")) {
                throw new UnsupportedTransferSyntaxException(scan.transferSyntaxUid(), msg);
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

    private static DicomReadException noPixelData(AttributeList list, List<String> errors, int length) {
        if (!errors.isEmpty()) return truncated(errors, length);
        return new DicomReadException(DicomProblem.NoPixelData, "no pixel data: the file is DICOM ("
                + describeSopClass(list) + ") but holds no PixelData (7FE0,0010) to read as a slice");
    }

    /** The top-level image as PixelMed will decode it (checked: one frame, one sample). */
    private static DataSetScan.Declared declared(PixelAttributes a) {
        DataSetScan.Declared d = new DataSetScan.Declared();
        d.rows = a.rows();
        d.columns = a.columns();
        d.samplesPerPixel = 1;
        d.bitsAllocated = a.bitsAllocated();
        d.frames = 1;
        return d;
    }

    private PixelAttributes checkPixelAttributes(AttributeList list, String name) throws DicomReadException {
        int samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        String photometric = Attribute.getSingleStringValueOrDefault(list, TagFromName.PhotometricInterpretation, "MONOCHROME2").strip();
        if (samples != 1 || !photometric.startsWith("MONOCHROME")) {
            throw new DicomReadException(DicomProblem.Colour, "colour image (SamplesPerPixel " + samples
                    + ", PhotometricInterpretation " + photometric + "): ich reads greyscale CT slices only");
        }
        int frames = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1);
        if (frames < 1) {
            throw new DicomReadException(DicomProblem.BadPixelAttributes, "NumberOfFrames " + frames + " is impossible: a slice"
                    + " has one frame");
        }
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

        private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

        /** The values of native little-endian PixelData straight from the data set's bytes. */
        static StoredPixels of(byte[] data, DataSetScan.PixelData pixelData, PixelAttributes a, List<String> errors)
                throws DicomReadException {
            int n = a.rows() * a.columns();
            int bytesPer = a.bitsAllocated() / 8;
            long offset = pixelData.valueOffset();
            long present = Math.max(0, Math.min(pixelData.valueLength(), data.length - offset));
            if (present < pixelData.valueLength() && present < (long) n * bytesPer) {
                throw truncated(List.of("PixelData declares " + pixelData.valueLength() + " bytes but " + present
                        + " remain in the file"), data.length);
            }
            requireLength((int) Math.min(Integer.MAX_VALUE, present / bytesPer), n, errors);
            int[] out = new int[n];
            int at = (int) offset;
            if (bytesPer == 1) {
                if (a.signed()) for (int i = 0; i < n; i++) out[i] = data[at + i];
                else for (int i = 0; i < n; i++) out[i] = data[at + i] & 0xff;
            } else if (!a.signed()) {
                for (int i = 0; i < n; i++) out[i] = (short) SHORT_LE.get(data, at + 2 * i) & 0xffff;
            } else if (a.bitsStored() >= 16) {
                for (int i = 0; i < n; i++) out[i] = (short) SHORT_LE.get(data, at + 2 * i);
            } else {
                int shift = 32 - a.bitsStored();
                for (int i = 0; i < n; i++) out[i] = ((short) SHORT_LE.get(data, at + 2 * i)) << shift >> shift;
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
