package dev.ich.core.dicom;

import dev.ich.core.dicom.DataSetScan.Declared;
import dev.ich.core.dicom.DataSetScan.Fragment;

import java.util.ArrayList;
import java.util.List;

/**
 * What an RLE or JPEG frame would decode to, found before it is decoded. PixelMed sizes its output from the
 * declared Rows x Columns, but a JPEG decoder sizes its own from the codestream's frame header (SOF), which may
 * declare a far bigger image than the DICOM header; and an RLE segment may hold more runs than its plane needs.
 * So the frame headers are compared with the declaration, and the RLE runs are counted (never expanded), stopping
 * at the first byte beyond the declared plane.
 */
final class CompressedFrames {
    private CompressedFrames() {
    }

    /** Checks every frame of one encapsulated PixelData against what its data set declares. */
    static void check(String transferSyntax, DataSetScan.PixelData pixels, Declared declared, DicomLimits limits, byte[] data)
            throws DicomReadException {
        if (!pixels.encapsulated()) return;
        long decoded = declared.pixelBytes();
        if (decoded > limits.maxInflatedBytes()) {
            throw new DicomReadException(DicomProblem.InflationBudget, "PixelData declares " + declared + ", " + decoded
                    + " bytes once decoded, beyond the limit of " + limits.maxInflatedBytes() + " bytes");
        }
        List<Fragment> fragments = pixels.fragments();
        if (fragments.size() < 2) {
            throw new DicomReadException(DicomProblem.ShortPixelData, "encapsulated PixelData holds no compressed frame (only "
                    + (fragments.isEmpty() ? "nothing" : "the basic offset table") + "): the file is corrupt; re-export it from the source");
        }
        List<Fragment> frames = fragments.subList(1, fragments.size()); // the first item is the basic offset table
        if (TransferSyntaxes.RLE_LOSSLESS.equals(transferSyntax)) rle(data, frames, declared);
        else jpeg(data, frames, declared, limits);
    }

    /** PS3.5 Annex G: per frame one fragment, a 64-byte header, one PackBits segment per byte of each sample. */
    private static void rle(byte[] data, List<Fragment> frames, Declared d) throws DicomReadException {
        if (frames.size() < d.frames) {
            throw new DicomReadException(DicomProblem.ShortPixelData, "RLE PixelData holds " + frames.size() + " frames, NumberOfFrames "
                    + "declares " + d.frames + ": the file is corrupt; re-export it from the source");
        }
        long plane = d.rows * d.columns;
        long bytesPerSample = (d.bitsAllocated + 7) / 8;
        long segments = d.samplesPerPixel * bytesPerSample;
        for (int f = 0; f < d.frames; f++) {
            Fragment frame = frames.get(f);
            byte[] b = frameBytes(data, frame);
            if (b.length < 64) {
                throw new DicomReadException(DicomProblem.BadPixelAttributes, "RLE frame " + (f + 1) + " is " + b.length
                        + " bytes, shorter than its 64-byte header");
            }
            long count = le32(b, 0);
            if (count != segments) {
                throw new DicomReadException(DicomProblem.BadPixelAttributes, "RLE frame " + (f + 1) + " has " + count
                        + " segments; SamplesPerPixel x BitsAllocated/8 = " + segments + " needs exactly that many");
            }
            for (int s = 0; s < count; s++) {
                long start = le32(b, 4 + 4 * s);
                long end = s + 1 < count ? le32(b, 8 + 4 * s) : b.length;
                if (start < 64 || end < start || end > b.length) {
                    throw new DicomReadException(DicomProblem.BadPixelAttributes, "RLE frame " + (f + 1) + ": segment " + (s + 1)
                            + " lies at bytes " + start + " to " + end + ", outside the frame's " + b.length + " bytes");
                }
                long out = decodedLength(b, (int) start, (int) end, plane);
                if (out > plane) {
                    throw new DicomReadException(DicomProblem.InflationBudget, "RLE frame " + (f + 1) + ": segment " + (s + 1)
                            + " decodes to more than the " + plane + " bytes Rows x Columns (" + d.rows + " x " + d.columns
                            + ") declare; a decompression bomb is refused before it is decoded");
                }
                if (out < plane) {
                    throw new DicomReadException(DicomProblem.ShortPixelData, "RLE frame " + (f + 1) + ": segment " + (s + 1)
                            + " decodes to " + out + " of the " + plane + " bytes Rows x Columns need: the file is corrupt;"
                            + " re-export it from the source");
                }
            }
        }
    }

    /** PackBits output of [start, end) counted run by run, stopping once past {@code limit}; a run cut by the end counts nothing. */
    static long decodedLength(byte[] b, int start, int end, long limit) {
        long out = 0;
        int i = start;
        while (i < end && out <= limit) {
            int n = b[i++];
            if (n >= 0) {
                if (i + n + 1 > end) break;
                out += n + 1;
                i += n + 1;
            } else if (n != -128) {
                if (i + 1 > end) break;
                out += 1 - n;
                i += 1;
            }
        }
        return out;
    }

    /** A frame header of the JPEG codestream: precision, lines, samples per line, components. */
    record JpegFrame(int marker, int precision, int lines, int samplesPerLine, int components) {
        long decodedBytes() {
            return (long) lines * samplesPerLine * components * ((precision + 7) / 8);
        }
    }

    /**
     * Every frame header (SOF0-SOF15 but DHT, JPG, DAC; DHP) in the codestream must declare the image the DICOM
     * header does: the same lines and samples per line, the same number of components, and no more bits than
     * BitsAllocated. Frames of a multi-frame image may span fragments, so the fragments are read as one codestream.
     */
    private static void jpeg(byte[] data, List<Fragment> fragments, Declared d, DicomLimits limits) throws DicomReadException {
        List<JpegFrame> headers = jpegFrames(concatenate(data, fragments));
        if (headers.isEmpty()) {
            throw new DicomReadException(DicomProblem.BadPixelAttributes, "the JPEG codestream in PixelData has no frame header (SOF):"
                    + " the file is corrupt; re-export it from the source");
        }
        for (JpegFrame h : headers) {
            String declared = " but the DICOM header declares " + d.rows + " x " + d.columns + " x " + d.samplesPerPixel + " at "
                    + d.bitsAllocated + " bits allocated";
            String found = String.format("the JPEG frame header (SOF%d) declares %d x %d x %d at %d bits", h.marker() - 0xC0,
                    h.lines(), h.samplesPerLine(), h.components(), h.precision());
            if (h.lines() == 0) {
                throw new DicomReadException(DicomProblem.BadPixelAttributes, found + " (lines defined later, by a DNL marker)"
                        + declared + "; such a frame cannot be bounded before it is decoded");
            }
            long expected = DicomLimits.declaredPixelBytes(d.rows, d.columns, d.samplesPerPixel, d.bitsAllocated, 1);
            if (h.decodedBytes() > limits.maxInflatedBytes() || (long) h.lines() * h.samplesPerLine() > d.rows * d.columns
                    || h.components() > d.samplesPerPixel || h.decodedBytes() > expected) {
                throw new DicomReadException(DicomProblem.InflationBudget, found + declared
                        + "; a frame larger than declared is refused before it is decoded");
            }
            if (h.lines() != d.rows || h.samplesPerLine() != d.columns || h.components() != d.samplesPerPixel
                    || h.precision() > d.bitsAllocated) {
                throw new DicomReadException(DicomProblem.BadPixelAttributes, found + declared);
            }
        }
    }

    /**
     * The frame headers of a codestream: marker segments are skipped by their length, entropy-coded data byte by
     * byte up to the next marker (0xFF followed by neither 0x00 nor a restart marker).
     */
    static List<JpegFrame> jpegFrames(byte[] b) {
        List<JpegFrame> frames = new ArrayList<>();
        int i = 0;
        while (i + 1 < b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                i++;
                continue;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0x00 || marker == 0x01 || marker >= 0xD0 && marker <= 0xD9) { // stuffed, TEM, RSTn, SOI, EOI
                i += 2;
                continue;
            }
            if (i + 3 >= b.length) break;
            int length = (b[i + 2] & 0xff) << 8 | b[i + 3] & 0xff;
            int segment = i + 4;
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if ((sof || marker == 0xDE) && segment + 6 <= b.length) {
                frames.add(new JpegFrame(marker, b[segment] & 0xff, (b[segment + 1] & 0xff) << 8 | b[segment + 2] & 0xff,
                        (b[segment + 3] & 0xff) << 8 | b[segment + 4] & 0xff, b[segment + 5] & 0xff));
            }
            i += 2 + Math.max(length, 2);
            if (marker == 0xDA) { // start of scan: entropy-coded data follows
                while (i + 1 < b.length) {
                    if ((b[i] & 0xff) == 0xFF) {
                        int next = b[i + 1] & 0xff;
                        if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7) && next != 0xFF) break;
                    }
                    i++;
                }
            }
        }
        return frames;
    }

    private static byte[] frameBytes(byte[] data, Fragment f) {
        return java.util.Arrays.copyOfRange(data, f.offset(), f.offset() + f.length());
    }

    private static byte[] concatenate(byte[] data, List<Fragment> fragments) {
        int total = 0;
        for (Fragment f : fragments) total += f.length();
        byte[] out = new byte[total];
        int at = 0;
        for (Fragment f : fragments) {
            System.arraycopy(data, f.offset(), out, at, f.length());
            at += f.length();
        }
        return out;
    }

    private static long le32(byte[] b, int i) {
        return b[i] & 0xffL | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }
}
