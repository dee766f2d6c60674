package dev.ich.core.phantom;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/**
 * Hostile DICOM built byte by byte, for the tests of every door (ingest's STOW-RS, C-STORE and bulk import,
 * inference, cleaning, labeling): the shapes a red team sends, small on the wire, ruinous to a naive reader.
 * Each is a CT slice in every other respect (CT Image Storage, Modality CT, DICOM UIDs from the seed), so only
 * the hostile part can be what a door refuses.
 *
 * <ul>
 *   <li>{@link #deflatedHugeElement}: Deflated Explicit VR Little Endian whose data set holds one private
 *   element of zeros, ~1000 times bigger inflated than on the wire (1 GiB from about 1 MB).</li>
 *   <li>{@link #deflatedPixelBomb}: the same with the zeros in PixelData, far beyond Rows x Columns.</li>
 *   <li>{@link #nestedSequences}: sequences nested thousands deep, explicit or implicit VR, defined or
 *   undefined lengths, SQ or undefined-length UN.</li>
 *   <li>{@link #rleLargerThanDeclared} and {@link #jpegLargerThanDeclared}: compressed frames that decode to
 *   more than the header declares.</li>
 * </ul>
 */
public final class HostileDicom {
    public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    public static final String DEFLATED = "1.2.840.10008.1.2.1.99";
    public static final String RLE = "1.2.840.10008.1.2.5";
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    private static final int MIB = 1 << 20;

    /** The bytes, and the UIDs a door reports them under. */
    public record Instance(byte[] bytes, String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid) {
    }

    /** How sequences nest: explicit SQ, implicit VR with a tag the dictionary knows as SQ, or explicit UN of undefined length. */
    public enum Nesting { EXPLICIT_SQ, IMPLICIT_SQ, UNKNOWN_VR }

    private HostileDicom() {
    }

    /** A plain 16-bit CT slice of {@code rows} x {@code columns} (explicit VR LE), the base the others bend. */
    public static Instance ct(long seed, int rows, int columns) {
        return ct(seed, rows, columns, "CT");
    }

    /** As {@link #ct(long, int, int)} with another Modality (an MR slice, say: valid, readable, not CT). */
    public static Instance ct(long seed, int rows, int columns, String modality) {
        Uids u = new Uids(seed);
        Writer w = new Writer(true);
        header(w, u, modality, rows, columns, 16);
        w.element(0x7FE00010, "OW", new byte[rows * columns * 2]);
        return u.instance(part10(EXPLICIT_VR_LITTLE_ENDIAN, u, w.bytes()));
    }

    /**
     * Deflated Explicit VR Little Endian: a 16 x 16 slice whose data set also holds private element (0009,1010) OB
     * of {@code inflatedMiB} MiB of zeros. The deflate stream repeats one block per MiB, so building 1 GiB takes
     * milliseconds and the file is about 1 KB per MiB.
     */
    public static Instance deflatedHugeElement(long seed, int inflatedMiB) {
        Uids u = new Uids(seed);
        Writer before = startCt(u, true);
        privateCreator(before);
        before.header(0x00091010, "OB", (long) inflatedMiB * MIB);
        Writer after = new Writer(true);
        smallSlice(after, u);
        return u.instance(part10(DEFLATED, u, zerosBetween(before.bytes(), inflatedMiB, after.bytes())));
    }

    /** Deflated: a 512 x 512 16-bit slice (512 KiB of pixels) whose PixelData declares and holds {@code pixelMiB} MiB of zeros. */
    public static Instance deflatedPixelBomb(long seed, int pixelMiB) {
        Uids u = new Uids(seed);
        Writer w = new Writer(true);
        header(w, u, "CT", 512, 512, 16);
        w.header(0x7FE00010, "OW", (long) pixelMiB * MIB);
        return u.instance(part10(DEFLATED, u, zerosBetween(w.bytes(), pixelMiB, new byte[0])));
    }

    /**
     * A 16 x 16 slice with {@code depth} sequences nested in ReferencedSeriesSequence (0008,1115), each holding one
     * item that holds the next; UNKNOWN_VR nests private (0009,1010) as explicit UN of undefined length (whose
     * content is implicit VR, where the same private tag is UN again).
     */
    public static Instance nestedSequences(long seed, int depth, Nesting nesting, boolean definedLengths) {
        if (nesting == Nesting.UNKNOWN_VR && definedLengths) {
            throw new IllegalArgumentException("only a UN of undefined length is read as a sequence");
        }
        Uids u = new Uids(seed);
        boolean explicit = nesting != Nesting.IMPLICIT_SQ;
        boolean innerExplicit = nesting == Nesting.EXPLICIT_SQ; // inside UN everything is implicit VR
        Writer w = startCt(u, explicit);
        if (nesting == Nesting.UNKNOWN_VR) privateCreator(w);
        int tag = nesting == Nesting.UNKNOWN_VR ? 0x00091010 : 0x00081115;
        String vr = nesting == Nesting.UNKNOWN_VR ? "UN" : "SQ";
        byte[] center = new Writer(innerExplicit).element(0x0020000E, "UI", uid(u.series())).bytes();
        // content[level]: the bytes inside the item of that level (level 1 innermost, depth outermost)
        long[] content = new long[depth + 1];
        content[1] = center.length;
        for (int level = 2; level <= depth; level++) content[level] = (innerExplicit ? 12 : 8) + 8 + content[level - 1];
        ByteArrayOutputStream nest = new ByteArrayOutputStream();
        for (int level = depth; level >= 1; level--) {
            Writer h = new Writer(level == depth ? explicit : innerExplicit);
            h.header(tag, vr, definedLengths ? 8 + content[level] : 0xFFFFFFFFL);
            nest.writeBytes(h.bytes());
            nest.writeBytes(item(0xFFFEE000, definedLengths ? content[level] : 0xFFFFFFFFL));
        }
        nest.writeBytes(center);
        if (!definedLengths) {
            for (int level = 1; level <= depth; level++) {
                nest.writeBytes(item(0xFFFEE00D, 0));
                nest.writeBytes(item(0xFFFEE0DD, 0));
            }
        }
        w.raw(nest.toByteArray());
        smallSlice(w, u);
        return u.instance(part10(explicit ? EXPLICIT_VR_LITTLE_ENDIAN : IMPLICIT_VR_LITTLE_ENDIAN, u, w.bytes()));
    }

    /** A 16 x 16 slice whose ReferencedSeriesSequence holds {@code items} empty items (8 bytes each): breadth, not depth. */
    public static Instance manyItems(long seed, int items) {
        Uids u = new Uids(seed);
        Writer w = startCt(u, true);
        w.header(0x00081115, "SQ", 8L * items);
        for (int i = 0; i < items; i++) w.raw(item(0xFFFEE000, 0));
        smallSlice(w, u);
        return u.instance(part10(EXPLICIT_VR_LITTLE_ENDIAN, u, w.bytes()));
    }

    /** A 16 x 16 slice with a private OB element that declares {@code declaredBytes} but holds a few: a reader must not allocate what it declares. */
    public static Instance hugeDeclaredLength(long seed, long declaredBytes) {
        Uids u = new Uids(seed);
        Writer w = startCt(u, true);
        privateCreator(w);
        w.header(0x00091010, "OB", declaredBytes);
        w.raw(new byte[64]);
        return u.instance(part10(EXPLICIT_VR_LITTLE_ENDIAN, u, w.bytes()));
    }

    /** The same instance in Deflated Explicit VR Little Endian: its explicit VR LE data set deflated, the meta header re-made. */
    public static Instance deflated(Instance explicitVrLittleEndian) {
        byte[] b = explicitVrLittleEndian.bytes();
        int groupLength = ByteBuffer.wrap(b, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] dataSet = java.util.Arrays.copyOfRange(b, 144 + groupLength, b.length);
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            d.setInput(dataSet);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (!d.finished()) out.write(buffer, 0, d.deflate(buffer));
            Instance i = explicitVrLittleEndian;
            return new Instance(part10(DEFLATED, i.sopInstanceUid(), out.toByteArray()), i.studyInstanceUid(), i.seriesInstanceUid(),
                    i.sopInstanceUid());
        } finally {
            d.end();
        }
    }

    /**
     * RLE Lossless, 8 bits, declared 64 x 64 (4 KiB a plane), whose one segment is a valid PackBits run of
     * {@code decodedKiB} KiB: the frame decodes to far more than Rows x Columns.
     */
    public static Instance rleLargerThanDeclared(long seed, int decodedKiB) {
        Uids u = new Uids(seed);
        Writer w = new Writer(true);
        header(w, u, "CT", 64, 64, 8);
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        for (long out = 0; out < decodedKiB * 1024L; out += 128) {
            segment.write(-127); // replicate the next byte 128 times
            segment.write(0);
        }
        ByteBuffer head = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(64);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(head.array());
        frame.writeBytes(segment.toByteArray());
        encapsulated(w, frame.toByteArray());
        return u.instance(part10(RLE, u, w.bytes()));
    }

    /**
     * JPEG Baseline, 8 bits, declared {@code 64 x 64}: a real 64 x 64 codestream whose frame header (SOF0) is made to
     * say {@code sofRows x sofColumns}. A decoder sizes its raster from the SOF, before it sees that the scan is short.
     */
    public static Instance jpegLargerThanDeclared(long seed, int sofRows, int sofColumns) {
        Uids u = new Uids(seed);
        Writer w = new Writer(true);
        header(w, u, "CT", 64, 64, 8);
        byte[] jpeg = jpeg(64, 64);
        for (int i = 0; i + 9 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xC0) {
                jpeg[i + 5] = (byte) (sofRows >> 8);
                jpeg[i + 6] = (byte) sofRows;
                jpeg[i + 7] = (byte) (sofColumns >> 8);
                jpeg[i + 8] = (byte) sofColumns;
                break;
            }
        }
        encapsulated(w, jpeg);
        return u.instance(part10(JPEG_BASELINE, u, w.bytes()));
    }

    /** A grey JPEG Baseline codestream from the JDK's own writer. */
    static byte[] jpeg(int rows, int columns) {
        BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < rows; y++) for (int x = 0; x < columns; x++) image.getRaster().setSample(x, y, 0, (x * 7 + y * 3) & 0xff);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static void encapsulated(Writer w, byte[] frame) {
        w.header(0x7FE00010, "OB", 0xFFFFFFFFL);
        w.raw(item(0xFFFEE000, 0)); // empty basic offset table
        byte[] even = frame.length % 2 == 0 ? frame : java.util.Arrays.copyOf(frame, frame.length + 1);
        w.raw(item(0xFFFEE000, even.length));
        w.raw(even);
        w.raw(item(0xFFFEE0DD, 0));
    }

    private static void header(Writer w, Uids u, String modality, int rows, int columns, int bits) {
        identity(w, u, modality);
        rest(w, u, rows, columns, bits);
    }

    /** A data set, explicit or implicit VR, that starts as every CT instance here: {@link #identity} with Modality CT. */
    private static Writer startCt(Uids u, boolean explicitVr) {
        Writer w = new Writer(explicitVr);
        identity(w, u, "CT");
        return w;
    }

    /** SOP class (CT Image Storage whatever the modality), SOP instance and Modality: what every instance starts with. */
    private static void identity(Writer w, Uids u, String modality) {
        w.element(0x00080016, "UI", uid(CT_IMAGE_STORAGE));
        w.element(0x00080018, "UI", uid(u.sop()));
        w.element(0x00080060, "CS", text(modality));
    }

    /** The private creator of group 0009, which the hostile private elements (0009,10xx) belong to. */
    private static void privateCreator(Writer w) {
        w.element(0x00090010, "LO", text("ICH HOSTILE"));
    }

    /** The rest of a 16 x 16 slice after what an instance bends: patient, study, series, image pixel module, pixels. */
    private static void smallSlice(Writer w, Uids u) {
        rest(w, u, 16, 16, 16);
        w.element(0x7FE00010, "OW", new byte[16 * 16 * 2]);
    }

    /** Patient, study, series and the image pixel module. */
    private static void rest(Writer w, Uids u, int rows, int columns, int bits) {
        w.element(0x00100020, "LO", text("HOSTILE-" + u.seed));
        w.element(0x0020000D, "UI", uid(u.study()));
        w.element(0x0020000E, "UI", uid(u.series()));
        w.element(0x00200013, "IS", text("1"));
        w.element(0x00280002, "US", us(1));
        w.element(0x00280004, "CS", text("MONOCHROME2"));
        w.element(0x00280010, "US", us(rows));
        w.element(0x00280011, "US", us(columns));
        w.element(0x00280100, "US", us(bits));
        w.element(0x00280101, "US", us(bits == 16 ? 12 : 8));
        w.element(0x00280102, "US", us(bits == 16 ? 11 : 7));
        w.element(0x00280103, "US", us(0));
        w.element(0x00281052, "DS", text("-1024"));
        w.element(0x00281053, "DS", text("1"));
    }

    /** Preamble, "DICM" and the file meta information (always explicit VR little endian), then the data set. */
    private static byte[] part10(String transferSyntax, Uids u, byte[] dataSet) {
        return part10(transferSyntax, u.sop(), dataSet);
    }

    private static byte[] part10(String transferSyntax, String sop, byte[] dataSet) {
        Writer meta = new Writer(true);
        meta.element(0x00020001, "OB", new byte[] {0, 1});
        meta.element(0x00020002, "UI", uid(CT_IMAGE_STORAGE));
        meta.element(0x00020003, "UI", uid(sop));
        meta.element(0x00020010, "UI", uid(transferSyntax));
        meta.element(0x00020012, "UI", uid("1.2.826.0.1.3680043.10.1137.99"));
        byte[] group = meta.bytes();
        Writer length = new Writer(true);
        length.element(0x00020000, "UL", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(group.length).array());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(length.bytes());
        out.writeBytes(group);
        out.writeBytes(dataSet);
        return out.toByteArray();
    }

    /**
     * A raw deflate stream of {@code before}, {@code mib} MiB of zeros, {@code after}. Once the window is all zeros,
     * each further MiB of zeros deflates to the same sync-flushed block, so the block is written {@code mib - 1} times.
     */
    private static byte[] zerosBetween(byte[] before, int mib, byte[] after) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            byte[] zeros = new byte[MIB];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(deflate(d, before, Deflater.SYNC_FLUSH));
            byte[] block = null;
            for (int i = 0; i < mib; i++) {
                if (i < 2) {
                    block = deflate(d, zeros, Deflater.SYNC_FLUSH);
                    out.writeBytes(block);
                } else {
                    out.writeBytes(block);
                }
            }
            d.setInput(after);
            d.finish();
            byte[] buffer = new byte[64 * 1024];
            while (!d.finished()) out.write(buffer, 0, d.deflate(buffer));
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static byte[] deflate(Deflater d, byte[] input, int flush) {
        d.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        do {
            n = d.deflate(buffer, 0, buffer.length, flush);
            out.write(buffer, 0, n);
        } while (n > 0 || !d.needsInput());
        return out.toByteArray();
    }

    private static byte[] item(int tag, long length) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) (tag >>> 16)).putShort((short) tag)
                .putInt((int) length).array();
    }

    private static byte[] uid(String uid) {
        byte[] b = uid.getBytes(StandardCharsets.US_ASCII);
        return b.length % 2 == 0 ? b : java.util.Arrays.copyOf(b, b.length + 1);
    }

    private static byte[] text(String s) {
        return (s.length() % 2 == 0 ? s : s + " ").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] us(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    /** UIDs under the 2.25 root, derived from the seed so tests sharing a bucket never share one. */
    private record Uids(long seed) {
        String study() {
            return "2.25." + Long.toUnsignedString(seed * 1_000_003L + 1);
        }

        String series() {
            return "2.25." + Long.toUnsignedString(seed * 1_000_003L + 2);
        }

        String sop() {
            return "2.25." + Long.toUnsignedString(seed * 1_000_003L + 3);
        }

        Instance instance(byte[] bytes) {
            return new Instance(bytes, study(), series(), sop());
        }
    }

    /** Data elements in explicit or implicit VR little endian. */
    private static final class Writer {
        private final boolean explicit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer(boolean explicit) {
            this.explicit = explicit;
        }

        Writer element(int tag, String vr, byte[] value) {
            header(tag, vr, value.length);
            out.writeBytes(value);
            return this;
        }

        Writer header(int tag, String vr, long length) {
            ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            b.putShort((short) (tag >>> 16)).putShort((short) tag);
            if (!explicit || vr == null) {
                b.putInt((int) length);
            } else if (java.util.Set.of("OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UN", "UT", "UC", "UR", "SV", "UV").contains(vr)) {
                b.put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) 0).putInt((int) length);
            } else {
                b.put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) length);
            }
            out.write(b.array(), 0, b.position());
            return this;
        }

        Writer raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
