package dev.ich.core.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.ClinicalTrialsAttributes;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.ValueRepresentation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A walk over a data set's bytes, element by element, before PixelMed parses them. PixelMed's
 * {@code AttributeList.read} recurses once per sequence and item, allocates each value at the length the
 * element declares, and inflates a deflated data set without bound; so this walk, which keeps its own
 * stack, refuses what would hurt it: sequences deeper than {@link DicomLimits#maxDepth()}, more elements
 * than {@link DicomLimits#maxElements()}, a value longer than the bytes that follow it, and a deflated data
 * set that inflates beyond its budget ({@link DicomLimits#inflationBudget}) — counted while it is inflated.
 *
 * <p>It reads the bytes the way PixelMed does, so that it sees every sequence PixelMed would recurse into:
 * explicit and implicit VR, big and little endian, defined and undefined lengths; SQ from the explicit VR or,
 * in implicit VR, from PixelMed's own dictionary; UN of undefined length as a sequence whose content is
 * implicit VR little endian; PixelMed's repairs of broken explicit VRs (two hyphens or two zero bytes read as
 * UN, a VR that is no letters read as an implicit-VR element, reserved bytes of "00" as zeros); an item
 * delimiter ending the item it is in; and the file meta information ending at its group length or at the
 * first element of another group. Where PixelMed would stop or fail (a tag in a sequence that is neither an
 * item nor a delimiter, the end of the bytes) the walk stops too: nothing beyond is parsed by either.
 *
 * <p>A deflated data set is inflated here, once, through a budgeted buffer, and PixelMed is handed the
 * inflated explicit VR little endian bytes ({@link #inflated()}), so that it never inflates anything itself.
 */
final class DataSetScan {
    static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_DELIMITER = 0xFFFEE00D;
    private static final int SEQUENCE_DELIMITER = 0xFFFEE0DD;
    private static final int PIXEL_DATA = 0x7FE00010;
    private static final int GROUP_LENGTH = 0x00020000;
    private static final int TRANSFER_SYNTAX = 0x00020010;
    private static final int SAMPLES_PER_PIXEL = 0x00280002;
    private static final int NUMBER_OF_FRAMES = 0x00280008;
    private static final int ROWS = 0x00280010;
    private static final int COLUMNS = 0x00280011;
    private static final int BITS_ALLOCATED = 0x00280100;
    private static final byte[] UN = {'U', 'N'};
    private static final byte[] LO = {'L', 'O'};
    private static final DicomDictionary DICTIONARY = AttributeList.getDictionary();

    /** The image attributes a data set declares before its PixelData: what PixelMed decodes that PixelData with. */
    static final class Declared {
        long rows;
        long columns;
        long samplesPerPixel = 1;
        long bitsAllocated;
        long frames = 1;

        long pixelBytes() {
            return DicomLimits.declaredPixelBytes(rows, columns, samplesPerPixel, bitsAllocated, frames);
        }

        @Override
        public String toString() {
            return rows + " x " + columns + " x " + samplesPerPixel + " samples at " + bitsAllocated + " bits"
                    + (frames == 1 ? "" : " x " + frames + " frames");
        }
    }

    /** One fragment of encapsulated pixel data: where its bytes lie in {@link #data()}. */
    record Fragment(int offset, int length) {
    }

    /**
     * A PixelData element: at the top level ({@code depth} 0) or inside an item (an icon, say), with the
     * attributes of its own data set; native (its value in {@link #data()}) or encapsulated (its fragments,
     * the basic offset table first).
     */
    record PixelData(int depth, Declared declared, boolean encapsulated, long valueOffset, long valueLength,
                     List<Fragment> fragments) {
    }

    private final String transferSyntaxUid;
    private final byte[] data;
    private final int size;
    private final boolean inflated;
    private final List<PixelData> pixelData;

    private DataSetScan(String transferSyntaxUid, byte[] data, int size, boolean inflated, List<PixelData> pixelData) {
        this.transferSyntaxUid = transferSyntaxUid;
        this.data = data;
        this.size = size;
        this.inflated = inflated;
        this.pixelData = List.copyOf(pixelData);
    }

    /**
     * The data set's transfer syntax: from the file meta information (empty when it names none; the walk then
     * guessed as PixelMed does), or the one assumed for a bare data set.
     */
    String transferSyntaxUid() {
        return transferSyntaxUid;
    }

    /** True when the data set was deflated: {@link #data()} then holds the inflated data set (explicit VR LE, no meta). */
    boolean inflated() {
        return inflated;
    }

    /** The bytes the fragments and values point into: the file itself, or the inflated data set. */
    byte[] data() {
        return data;
    }

    /** How many bytes of {@link #data()} are valid. */
    int size() {
        return size;
    }

    /** Every PixelData element met, in the order met. */
    List<PixelData> pixelData() {
        return pixelData;
    }

    /** The top-level PixelData, or null when the data set (as far as it was walked) has none. */
    PixelData topLevelPixelData() {
        return pixelData.stream().filter(p -> p.depth() == 0).findFirst().orElse(null);
    }

    /**
     * Walks {@code bytes}; with {@code toPixelData} it stops at the top-level PixelData tag (what a header
     * read needs). DicomReadException for what the limits refuse, for a value running past the end of the
     * bytes, and for a transfer syntax PixelMed would decompress with something other than inflate.
     */
    static DataSetScan of(byte[] bytes, DataSetFraming framing, DicomLimits limits, boolean toPixelData) throws DicomReadException {
        return new Walk(bytes, framing, limits, toPixelData).run();
    }

    /** Readable bytes, little or big endian; the inflating source grows as the walk asks for more. */
    private static class Source {
        byte[] buf;
        int size;

        Source(byte[] buf, int size) {
            this.buf = buf;
            this.size = size;
        }

        /** Makes bytes [0, end) available; false when the data ends before. */
        boolean ensure(long end) throws DicomReadException {
            return end <= size;
        }

        /** Why a value that needs bytes up to {@code end} cannot have them. */
        DicomReadException shortOf(long end, String what, long fileLength) {
            return new DicomReadException(DicomProblem.Truncated, "truncated file (" + fileLength + " bytes): " + what
                    + " lacks its last " + (end - size) + " bytes");
        }
    }

    /**
     * A deflated data set, inflated on demand into a buffer that never grows past the budget: the Inflater is
     * never asked for more output than the budget leaves, so a bomb costs at most the budget in memory and time.
     */
    private static final class InflatingSource extends Source {
        private final java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        private final DicomLimits limits;
        private long budget;
        private boolean ended;

        InflatingSource(byte[] file, int from, DicomLimits limits) {
            super(new byte[64 * 1024], 0);
            this.limits = limits;
            this.budget = limits.inflationBudget(0);
            inflater.setInput(file, from, file.length - from);
        }

        void budget(long declaredPixelBytes) {
            budget = limits.inflationBudget(declaredPixelBytes);
        }

        @Override
        boolean ensure(long end) throws DicomReadException {
            if (end <= size) return true;
            long want = Math.min(end, budget);
            try {
                while (size < want && !ended) {
                    // grow geometrically and inflate ahead, never past the budget
                    if (buf.length < want) buf = java.util.Arrays.copyOf(buf, (int) Math.min(budget, Math.max(buf.length * 2L, want)));
                    int room = (int) (Math.min(buf.length, budget) - size);
                    int n = inflater.inflate(buf, size, room);
                    size += n;
                    if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) ended = true;
                }
            } catch (java.util.zip.DataFormatException e) {
                throw new DicomReadException(DicomProblem.NotDicom, "the deflated data set is corrupt: it does not inflate ("
                        + e.getMessage() + ")", e);
            }
            if (size >= end) return true;
            if (end > budget && !ended && moreBeyondBudget()) throw overBudget(end);
            return false;
        }

        /** True when the stream holds at least one byte beyond what was inflated. */
        private boolean moreBeyondBudget() throws DicomReadException {
            try {
                return !inflater.finished() && inflater.inflate(new byte[1]) > 0;
            } catch (java.util.zip.DataFormatException e) {
                return false;
            }
        }

        private DicomReadException overBudget(long end) {
            return new DicomReadException(DicomProblem.InflationBudget, "the deflated data set inflates beyond " + budget
                    + " bytes (at least " + end + " needed): more than its declared image needs plus "
                    + limits.headerAllowance() + " bytes for the rest of the header, capped at " + limits.maxInflatedBytes()
                    + " bytes; a decompression bomb is refused before it is inflated further");
        }

        @Override
        DicomReadException shortOf(long end, String what, long fileLength) {
            if (end > budget) return overBudget(end);
            return new DicomReadException(DicomProblem.Truncated, "truncated file (" + fileLength + " bytes): the deflated data set"
                    + " ends before " + what + " does (" + (end - size) + " bytes missing)");
        }

        void close() {
            inflater.end();
        }
    }

    /** A sequence or an item (or the data set itself) on the walk's own stack. */
    private static final class Frame {
        final boolean sequence;
        /** PixelMed goes on while offset &lt; start + length - 1; UNDEFINED: until a delimiter. */
        final long endMinusOne;
        final boolean forcedImplicit;
        final Declared declared;
        Map<Integer, String> creators;

        Frame(boolean sequence, long start, long length, boolean forcedImplicit) {
            this.sequence = sequence;
            this.endMinusOne = length == UNDEFINED ? UNDEFINED : start + length - 1;
            this.forcedImplicit = forcedImplicit;
            this.declared = sequence ? null : new Declared();
        }

        boolean done(long pos) {
            return endMinusOne != UNDEFINED && pos >= endMinusOne;
        }
    }

    private static final class Walk {
        private final byte[] file;
        private final DataSetFraming framing;
        private final DicomLimits limits;
        private final boolean toPixelData;
        private final List<PixelData> pixelData = new ArrayList<>();
        private final Deque<Frame> stack = new ArrayDeque<>();
        private final Frame top = new Frame(false, 0, UNDEFINED, false);
        private Source src;
        private long pos;
        private boolean meta;
        private long metaEndMinusOne = -1;
        private String transferSyntax;
        private boolean explicit;
        private boolean bigEndian;
        private int depth;
        private long elements;

        Walk(byte[] file, DataSetFraming framing, DicomLimits limits, boolean toPixelData) {
            this.file = file;
            this.framing = framing;
            this.limits = limits;
            this.toPixelData = toPixelData;
            this.src = new Source(file, file.length);
        }

        DataSetScan run() throws DicomReadException {
            stack.push(top);
            if (framing.part10()) {
                pos = 132;
                meta = true;
                // PixelMed's guess for the meta header: explicit VR when the first element's VR is two capitals
                explicit = file.length < 138 || Character.isUpperCase((char) file[136]) && Character.isUpperCase((char) file[137]);
            } else {
                dataSet(framing.assumedTransferSyntax());
            }
            try {
                walk();
            } finally {
                if (src instanceof InflatingSource in) in.close();
            }
            return new DataSetScan(transferSyntax, src.buf, src.size, src instanceof InflatingSource, pixelData);
        }

        private void walk() throws DicomReadException {
            while (true) {
                Frame f = stack.peek();
                if (f != top && f.done(pos)) {
                    pop();
                    continue;
                }
                if (meta && metaEndMinusOne >= 0 && pos >= metaEndMinusOne) {
                    endOfMeta(null);
                    continue;
                }
                if (!src.ensure(pos + 4)) return;
                int group = u16(pos);
                int element = u16(pos + 2);
                int tag = group << 16 | element;
                if (f.sequence) {
                    if (!src.ensure(pos + 8)) return;
                    long vl = u32(pos + 4);
                    pos += 8;
                    if (tag == SEQUENCE_DELIMITER) {
                        pop();
                    } else if (tag == ITEM) {
                        count();
                        stack.push(new Frame(false, pos, vl, f.forcedImplicit));
                    } else {
                        return; // PixelMed fails here ("not Item or Sequence Delimiter"), reading nothing further
                    }
                    continue;
                }
                if (toPixelData && f == top && tag == PIXEL_DATA) return; // where a header read stops
                if (meta && group > 0x0002) {
                    if (f != top) throw new DicomReadException(DicomProblem.NotDicom, "not readable as DICOM: the file meta"
                            + " information holds a sequence");
                    endOfMeta(tag);
                    continue;
                }
                if (tag == ITEM_DELIMITER) {
                    if (!src.ensure(pos + 8)) return;
                    pos += 8;
                    if (f == top) return; // PixelMed ends the data set here
                    pop();
                    continue;
                }
                if (tag == ITEM || tag == SEQUENCE_DELIMITER) { // misplaced: PixelMed skips them
                    if (!src.ensure(pos + 8)) return;
                    pos += 8;
                    continue;
                }
                if (!element(f, group, element, tag)) return;
            }
        }

        /** One data element of an item or the data set; false when the bytes end inside its header. */
        private boolean element(Frame f, int group, int element, int tag) throws DicomReadException {
            boolean explicitHere = explicit && !f.forcedImplicit;
            byte[] vr;
            long vl;
            int header;
            if (!src.ensure(pos + 8)) return false;
            if (explicitHere) {
                byte v0 = src.buf[(int) pos + 4];
                byte v1 = src.buf[(int) pos + 5];
                boolean implicitStyle = false;
                if (v0 == '-' && v1 == '-' || v0 == 0 && v1 == 0) {
                    vr = UN.clone();
                } else if (v0 < 'A' || v1 < 'A') {
                    vr = UN.clone(); // PixelMed re-reads the two bytes as part of a 32-bit length
                    implicitStyle = true;
                } else {
                    vr = new byte[] {v0, v1};
                }
                if (implicitStyle) {
                    vl = u32(pos + 4);
                    header = 8;
                } else if (ValueRepresentation.isShortValueLengthVR(vr)) {
                    vl = u16(pos + 6);
                    header = 8;
                } else {
                    int reserved = u16(pos + 6);
                    if (reserved == 0 || reserved == 0x3030) {
                        if (!src.ensure(pos + 12)) return false;
                        vl = u32(pos + 8);
                        header = 12;
                    } else {
                        vl = reserved;
                        header = 8;
                    }
                }
                if (ValueRepresentation.isUnknownVR(vr)) {
                    byte[] known = DICTIONARY.getValueRepresentationFromTag(new AttributeTag(group, element));
                    boolean littleEndian = !bigEndian || f.forcedImplicit;
                    if (known != null && known.length >= 2 && !ValueRepresentation.isSequenceVR(known)
                            && (littleEndian || ValueRepresentation.getWordLengthOfValueAffectedByEndianness(known) == 1)) {
                        vr = known;
                    }
                }
            } else {
                byte[] known = DICTIONARY.getValueRepresentationFromTag(new AttributeTag(group, element));
                vr = known == null ? UN : known;
                vl = u32(pos + 4);
                header = 8;
            }
            boolean privateTag = group % 2 == 1;
            if (privateTag && element > 0 && element <= 0x00FF) vr = LO; // private creators, as PixelMed reads them
            pos += header;
            count();
            boolean sequence = ValueRepresentation.isSequenceVR(vr) || ValueRepresentation.isUnknownVR(vr)
                    && (vl == UNDEFINED || privateTag && ClinicalTrialsAttributes.isSafePrivateSequenceAttribute(creator(f, group, element),
                    new AttributeTag(group, element)));
            if (sequence) {
                if (meta) throw new DicomReadException(DicomProblem.NotDicom, "not readable as DICOM: the file meta information"
                        + " holds a sequence");
                if (++depth > limits.maxDepth()) {
                    throw new DicomReadException(DicomProblem.TooDeep, "sequences nested deeper than " + limits.maxDepth()
                            + " levels (at " + tagName(tag) + "): no real file does, and reading it would recurse without end");
                }
                stack.push(new Frame(true, pos, vl, ValueRepresentation.isUnknownVR(vr) || f.forcedImplicit));
                return true;
            }
            if (vl != UNDEFINED) {
                long end = pos + vl;
                if (!src.ensure(end)) throw src.shortOf(end, tag == PIXEL_DATA ? "PixelData" : tagName(tag), file.length);
                remember(f, tag, vr, vl);
                if (tag == PIXEL_DATA) pixelData.add(new PixelData(depth, copy(f.declared), false, pos, vl, List.of()));
                pos = end;
                return true;
            }
            if (tag == PIXEL_DATA) {
                encapsulated(f);
                return true;
            }
            return true; // undefined length on anything else: PixelMed reads no value and goes on with the next bytes
        }

        /** Items of encapsulated pixel data up to the sequence delimiter; fragments must lie within the bytes. */
        private void encapsulated(Frame f) throws DicomReadException {
            List<Fragment> fragments = new ArrayList<>();
            while (true) {
                if (!src.ensure(pos + 8)) throw src.shortOf(pos + 8, "encapsulated PixelData", file.length);
                int tag = u16(pos) << 16 | u16(pos + 2);
                long vl = u32(pos + 4);
                pos += 8;
                if (tag == SEQUENCE_DELIMITER) break;
                if (tag != ITEM || vl == UNDEFINED) {
                    throw new DicomReadException(DicomProblem.NotDicom, "not readable as DICOM: encapsulated PixelData holds "
                            + tagName(tag) + (tag == ITEM ? " of undefined length" : "") + " where a fragment or its end belongs");
                }
                count();
                long end = pos + vl;
                if (!src.ensure(end)) throw src.shortOf(end, "a PixelData fragment", file.length);
                fragments.add(new Fragment((int) pos, (int) vl));
                pos = end;
            }
            pixelData.add(new PixelData(depth, copy(f.declared), true, -1, UNDEFINED, fragments));
        }

        /** Keeps what later checks need: the image attributes, private creators, and in the meta header the syntax and length. */
        private void remember(Frame f, int tag, byte[] vr, long vl) {
            int at = (int) pos;
            int group = tag >>> 16;
            int element = tag & 0xFFFF;
            if (meta) {
                if (tag == TRANSFER_SYNTAX) transferSyntax = text(at, vl);
                if (tag == GROUP_LENGTH && vl == 4) metaEndMinusOne = pos + 4 + u32(pos) - 1;
                return;
            }
            if (group % 2 == 1 && element > 0 && element <= 0x00FF) {
                if (f.creators == null) f.creators = new HashMap<>();
                f.creators.put(group << 8 | element, text(at, vl));
                return;
            }
            Declared d = f.declared;
            switch (tag) {
                case ROWS -> d.rows = integer(vr, at, vl, 0);
                case COLUMNS -> d.columns = integer(vr, at, vl, 0);
                case SAMPLES_PER_PIXEL -> d.samplesPerPixel = integer(vr, at, vl, 1);
                case BITS_ALLOCATED -> d.bitsAllocated = integer(vr, at, vl, 16);
                case NUMBER_OF_FRAMES -> d.frames = integer(vr, at, vl, 1);
                default -> {
                    return;
                }
            }
            if (f == top && src instanceof InflatingSource in) in.budget(d.pixelBytes());
        }

        private String creator(Frame f, int group, int element) {
            String c = f.creators == null ? null : f.creators.get(group << 8 | element >> 8);
            return c == null ? "" : c;
        }

        /**
         * The file meta information ends (PixelMed: at its group length, or at the first element of another
         * group): the data set follows in its own transfer syntax. A deflated one is inflated from here on.
         */
        private void endOfMeta(Integer firstTag) throws DicomReadException {
            meta = false;
            String ts = transferSyntax;
            if (ts == null || ts.isEmpty()) {
                transferSyntax = ""; // reported as none declared; walked as PixelMed guesses
                ts = guessTransferSyntax(firstTag != null);
            }
            TransferSyntax syntax = new TransferSyntax(ts);
            if (syntax.isBzip2ed()) throw new UnsupportedTransferSyntaxException(ts, "compressed with bzip2");
            if (syntax.isDeflated()) {
                if (firstTag != null) {
                    throw new DicomReadException(DicomProblem.NotDicom, "not readable as DICOM: a deflated data set without"
                            + " the file meta information's group length (0002,0000), so where the deflated bytes begin is unknown");
                }
                src = new InflatingSource(file, (int) pos, limits);
                pos = 0;
                explicit = true;
                bigEndian = false;
            } else {
                explicit = syntax.isExplicitVR();
                bigEndian = syntax.isBigEndian();
            }
        }

        /** PixelMed's guesses when the meta header names no transfer syntax (AttributeList and DicomInputStream). */
        private String guessTransferSyntax(boolean afterTag) throws DicomReadException {
            if (afterTag) {
                if (!src.ensure(pos + 6)) return TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN;
                return Character.isUpperCase((char) src.buf[(int) pos + 4]) && Character.isUpperCase((char) src.buf[(int) pos + 5])
                        ? TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN;
            }
            if (!src.ensure(pos + 8)) return TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN;
            byte[] b = java.util.Arrays.copyOfRange(src.buf, (int) pos, (int) pos + 8);
            boolean big = b[0] < b[1] || b[0] == 0 && b[1] == 0 && b[4] < b[7];
            boolean explicitVr = Character.isUpperCase((char) b[4]) && Character.isUpperCase((char) b[5]);
            if (big && !explicitVr) throw new DicomReadException(DicomProblem.NotDicom, "not a DICOM file (masquerades as"
                    + " explicit VR big endian)");
            return big ? TransferSyntaxes.EXPLICIT_VR_BIG_ENDIAN
                    : explicitVr ? TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN;
        }

        private void dataSet(String ts) {
            transferSyntax = ts;
            TransferSyntax syntax = new TransferSyntax(ts);
            explicit = syntax.isExplicitVR();
            bigEndian = syntax.isBigEndian();
        }

        private void pop() {
            Frame f = stack.pop();
            if (f.sequence) depth--;
        }

        private void count() throws DicomReadException {
            if (++elements > limits.maxElements()) {
                throw new DicomReadException(DicomProblem.TooManyElements, "more than " + limits.maxElements()
                        + " data elements, items and fragments: far beyond any image's header");
            }
        }

        private int u16(long at) {
            int i = (int) at;
            byte[] b = src.buf;
            return bigEndian ? (b[i] & 0xff) << 8 | b[i + 1] & 0xff : b[i] & 0xff | (b[i + 1] & 0xff) << 8;
        }

        private long u32(long at) {
            int i = (int) at;
            byte[] b = src.buf;
            return bigEndian
                    ? (b[i] & 0xffL) << 24 | (b[i + 1] & 0xffL) << 16 | (b[i + 2] & 0xffL) << 8 | b[i + 3] & 0xffL
                    : b[i] & 0xffL | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
        }

        private String text(int at, long vl) {
            int n = (int) Math.min(vl, 256);
            return new String(src.buf, at, n, StandardCharsets.ISO_8859_1).replace("\0", "").strip();
        }

        /** US/SS/UL/SL by their width, IS/DS as text; the default when unreadable. */
        private long integer(byte[] vr, int at, long vl, long otherwise) {
            if (ValueRepresentation.isIntegerStringVR(vr) || ValueRepresentation.isDecimalStringVR(vr)
                    || ValueRepresentation.isUnknownVR(vr) && vl != 2 && vl != 4) {
                String s = text(at, vl);
                int backslash = s.indexOf('\\');
                if (backslash >= 0) s = s.substring(0, backslash);
                try {
                    return (long) Double.parseDouble(s.strip());
                } catch (NumberFormatException e) {
                    return otherwise;
                }
            }
            if (vl >= 4 && (ValueRepresentation.isUnsignedLongVR(vr) || ValueRepresentation.isSignedLongVR(vr))) return u32(at);
            if (vl >= 2) return u16(at);
            return otherwise;
        }

        private static Declared copy(Declared d) {
            Declared c = new Declared();
            c.rows = d.rows;
            c.columns = d.columns;
            c.samplesPerPixel = d.samplesPerPixel;
            c.bitsAllocated = d.bitsAllocated;
            c.frames = d.frames;
            return c;
        }
    }

    static String tagName(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }
}
