package dev.ich.core.clean;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.Adler32;

/**
 * A zlib stream (RFC 1950/1951) of literals and byte runs under one dynamic Huffman code per block:
 * zlib's {@code Z_RLE} strategy, written in Java for cleaned CT channels.
 *
 * <p>Why not {@link java.util.zip.Deflater}: its fastest level searches a hash chain for matches at
 * every byte, and on noisy 8-bit image rows it finds almost none (measured: 60-80 MB/s, 2.5-2.8 ms a
 * slice, the largest stage of the cleaning step). What such images do repeat is runs of one value
 * (air and saturated bone), which a distance-1 match encodes; everything else is entropy, which the
 * Huffman code takes. So this encoder makes two passes over each block (runs into symbols with their
 * histogram, then the bits) and builds one length-limited code per block. Its output is ordinary
 * deflate: any inflater reads it. Where a block would be larger coded than stored it is stored, so the
 * output never exceeds the input by more than 5 bytes a block plus the stream's 6.
 */
public final class RunLengthDeflate {
    private static final int BLOCK = (1 << 16) - 1; // a stored block holds at most 65,535 bytes
    private static final int MIN_RUN = 3, MAX_RUN = 258;
    private static final int END_OF_BLOCK = 256, LITERALS = 286, DISTANCES = 30, LENGTH_CODES = 19;
    private static final int MAX_BITS = 15, MAX_CODE_LENGTH_BITS = 7;
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    /** For a run length 3..258: its length symbol's offset from 257, and that symbol's extra bits and base. */
    private static final int[] LENGTH_SYMBOL = new int[MAX_RUN + 1];
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
            131, 163, 195, 227, 258};

    static {
        for (int code = 0; code < LENGTH_BASE.length; code++) {
            int end = code + 1 < LENGTH_BASE.length ? LENGTH_BASE[code + 1] : MAX_RUN + 1;
            if (code == LENGTH_BASE.length - 1) end = MAX_RUN + 1;
            for (int len = LENGTH_BASE[code]; len < end && len <= MAX_RUN; len++) LENGTH_SYMBOL[len] = code;
        }
        LENGTH_SYMBOL[MAX_RUN] = 28; // 258 has a code of its own, not 227 + 31
    }

    private RunLengthDeflate() {
    }

    /** The zlib stream of {@code in[off, off + len)} with runs at distance 1 only. */
    public static byte[] zlib(byte[] in, int off, int len) {
        return zlib(in, off, len, 1);
    }

    /**
     * As above, also matching repeats at distance {@code period} (1 to 4): the bytes of one pixel, so
     * a region of one colour in interleaved RGB is a run of whole pixels.
     */
    public static byte[] zlib(byte[] in, int off, int len, int period) {
        if (period < 1 || period > 4) throw new IllegalArgumentException("period must be 1 to 4, got " + period);
        BitWriter out = new BitWriter(len + (len / BLOCK + 1) * 5 + 64);
        out.bits(0x78, 8); // CM 8 (deflate), 32 KiB window
        out.bits(0x01, 8); // fastest level, no dictionary; 0x7801 is a multiple of 31
        int[] symbols = new int[Math.min(BLOCK, Math.max(len, 1))];
        Block block = new Block();
        int end = off + len;
        int start = off;
        do {
            int blockEnd = Math.min(end, start + BLOCK);
            block.encode(in, off, start, blockEnd, blockEnd == end, period, symbols, out);
            start = blockEnd;
        } while (start < end);
        out.alignToByte();
        Adler32 adler = new Adler32();
        adler.update(in, off, len);
        int a = (int) adler.getValue();
        out.bits((a >>> 24) & 0xff, 8);
        out.bits((a >>> 16) & 0xff, 8);
        out.bits((a >>> 8) & 0xff, 8);
        out.bits(a & 0xff, 8);
        return out.toByteArray();
    }

    /** Per-block scratch: histograms and codes. */
    private static final class Block {
        final int[] litFreq = new int[LITERALS], distFreq = new int[DISTANCES], clFreq = new int[LENGTH_CODES];
        final int[] litLen = new int[LITERALS], distLen = new int[DISTANCES], clLen = new int[LENGTH_CODES];
        final int[] litCode = new int[LITERALS], distCode = new int[DISTANCES], clCode = new int[LENGTH_CODES];
        final int[] lengths = new int[LITERALS + DISTANCES];
        final int[] clSymbols = new int[LITERALS + DISTANCES];
        final Huffman huffman = new Huffman(LITERALS);

        void encode(byte[] in, int streamStart, int start, int end, boolean last, int period, int[] symbols, BitWriter out) {
            Arrays.fill(litFreq, 0);
            Arrays.fill(distFreq, 0);
            int n = 0;
            int i = start;
            while (i < end) {
                int b = in[i] & 0xff;
                // a run repeats the byte before it (distance 1), a pixel run the pixel before it
                // (distance period); either may reach back into the previous block
                int distance = i > streamStart && (in[i - 1] & 0xff) == b ? 1
                        : period > 1 && i - period >= streamStart && (in[i - period] & 0xff) == b ? period : 0;
                if (distance > 0) {
                    int limit = Math.min(end, i + MAX_RUN), j = i + 1;
                    while (j < limit && in[j] == in[j - distance]) j++;
                    int run = j - i;
                    if (run >= MIN_RUN) {
                        symbols[n++] = distance << 16 | run;
                        litFreq[257 + LENGTH_SYMBOL[run]]++;
                        distFreq[distance - 1]++;
                        i = j;
                        continue;
                    }
                }
                symbols[n++] = b;
                litFreq[b]++;
                i++;
            }
            litFreq[END_OF_BLOCK]++;
            huffman.lengths(litFreq, LITERALS, MAX_BITS, litLen);
            // at least two distance codes: a complete code, which every inflater takes
            if (distFreq[0] == 0) distFreq[0] = 1;
            if (distFreq[1] == 0) distFreq[1] = 1;
            huffman.lengths(distFreq, DISTANCES, MAX_BITS, distLen);

            int numLit = LITERALS;
            while (numLit > 257 && litLen[numLit - 1] == 0) numLit--;
            int numDist = DISTANCES;
            while (numDist > 1 && distLen[numDist - 1] == 0) numDist--;
            System.arraycopy(litLen, 0, lengths, 0, numLit);
            System.arraycopy(distLen, 0, lengths, numLit, numDist);
            int clCount = runLengthsOfLengths(lengths, numLit + numDist);
            huffman.lengths(clFreq, LENGTH_CODES, MAX_CODE_LENGTH_BITS, clLen);
            int numCl = LENGTH_CODES;
            while (numCl > 4 && clLen[CODE_LENGTH_ORDER[numCl - 1]] == 0) numCl--;

            long coded = 3 + 5 + 5 + 4 + 3L * numCl;
            for (int k = 0; k < clCount; k++) {
                int s = clSymbols[k] & 0xff;
                coded += clLen[s] + (s == 16 ? 2 : s == 17 ? 3 : s == 18 ? 7 : 0);
            }
            for (int s = 0; s < LITERALS; s++) {
                coded += (long) litFreq[s] * (litLen[s] + (s > 256 ? LENGTH_EXTRA[s - 257] : 0));
            }
            for (int d = 0; d < 4; d++) coded += distFreq[d] * (long) distLen[d];
            long stored = 3 + 7 + 32 + 8L * (end - start);
            if (coded >= stored) {
                out.bits(last ? 1 : 0, 3);
                out.alignToByte();
                int len = end - start;
                out.bits(len & 0xffff, 16);
                out.bits(~len & 0xffff, 16);
                out.bytes(in, start, len);
                return;
            }

            Huffman.codes(litLen, LITERALS, litCode);
            Huffman.codes(distLen, DISTANCES, distCode);
            Huffman.codes(clLen, LENGTH_CODES, clCode);
            out.bits(last ? 1 : 0, 1);
            out.bits(2, 2);
            out.bits(numLit - 257, 5);
            out.bits(numDist - 1, 5);
            out.bits(numCl - 4, 4);
            for (int k = 0; k < numCl; k++) out.bits(clLen[CODE_LENGTH_ORDER[k]], 3);
            for (int k = 0; k < clCount; k++) {
                int s = clSymbols[k] & 0xff, extra = clSymbols[k] >>> 8;
                out.bits(clCode[s], clLen[s]);
                if (s == 16) out.bits(extra, 2);
                else if (s == 17) out.bits(extra, 3);
                else if (s == 18) out.bits(extra, 7);
            }
            out.ensure((int) (coded >>> 3) + 16);
            out.symbols(symbols, n, litCode, litLen, distCode, distLen);
            out.bits(litCode[END_OF_BLOCK], litLen[END_OF_BLOCK]);
        }

        /** The code-length sequence as symbols 0-18 (extra bits above bit 8) into clSymbols; counts into clFreq. */
        private int runLengthsOfLengths(int[] lens, int count) {
            Arrays.fill(clFreq, 0);
            int n = 0;
            int i = 0;
            while (i < count) {
                int l = lens[i], run = 1;
                while (i + run < count && lens[i + run] == l) run++;
                i += run;
                if (l == 0) {
                    while (run >= 11) {
                        int r = Math.min(run, 138);
                        clSymbols[n++] = 18 | (r - 11) << 8;
                        clFreq[18]++;
                        run -= r;
                    }
                    if (run >= 3) {
                        clSymbols[n++] = 17 | (run - 3) << 8;
                        clFreq[17]++;
                        run = 0;
                    }
                } else {
                    clSymbols[n++] = l;
                    clFreq[l]++;
                    run--;
                    while (run >= 3) {
                        int r = Math.min(run, 6);
                        clSymbols[n++] = 16 | (r - 3) << 8;
                        clFreq[16]++;
                        run -= r;
                    }
                }
                for (; run > 0; run--) {
                    clSymbols[n++] = l;
                    clFreq[l]++;
                }
            }
            return n;
        }
    }

    /** Length-limited Huffman code lengths, and canonical codes bit-reversed for deflate's LSB-first order. */
    static final class Huffman { // package-private for its test
        private final long[] heap;
        private final int[] parent;
        private final int[] symbolLengths;

        Huffman(int maxSymbols) {
            heap = new long[maxSymbols];
            parent = new int[2 * maxSymbols];
            symbolLengths = new int[2 * maxSymbols];
        }

        /**
         * Code lengths of {@code freq[0, n)} into {@code lengths}, none above {@code maxBits}. Where the
         * optimal code is deeper, the frequencies are flattened (halved, rounding up) and the code
         * rebuilt: a little longer output on pathological blocks, never an invalid code.
         */
        void lengths(int[] freq, int n, int maxBits, int[] lengths) {
            int[] f = freq.clone();
            while (!build(f, n, maxBits, lengths)) {
                for (int s = 0; s < n; s++) if (f[s] > 0) f[s] = (f[s] + 1) >>> 1;
            }
        }

        private boolean build(int[] freq, int n, int maxBits, int[] lengths) {
            Arrays.fill(lengths, 0, n, 0);
            int used = 0;
            for (int s = 0; s < n; s++) if (freq[s] > 0) heap[used++] = ((long) freq[s] << 32) | s;
            if (used == 0) return true;
            if (used == 1) {
                lengths[(int) heap[0]] = 1;
                return true;
            }
            // a binary min-heap of (weight << 32 | node); leaves are symbols 0..n-1, inner nodes n, n+1, ...
            int size = used;
            for (int k = size / 2 - 1; k >= 0; k--) siftDown(k, size);
            int next = n;
            while (size > 1) {
                long a = heap[0];
                heap[0] = heap[--size];
                siftDown(0, size);
                long b = heap[0];
                int node = next++;
                parent[(int) a] = node;
                parent[(int) b] = node;
                heap[0] = (((a >>> 32) + (b >>> 32)) << 32) | node;
                siftDown(0, size);
            }
            int root = (int) heap[0];
            symbolLengths[root] = 0;
            for (int node = root - 1; node >= n; node--) symbolLengths[node] = symbolLengths[parent[node]] + 1;
            boolean fits = true;
            for (int s = 0; s < n; s++) {
                if (freq[s] > 0) {
                    int l = symbolLengths[parent[s]] + 1;
                    lengths[s] = l;
                    if (l > maxBits) fits = false;
                }
            }
            return fits;
        }

        private void siftDown(int k, int size) {
            long v = heap[k];
            while (true) {
                int c = 2 * k + 1;
                if (c >= size) break;
                if (c + 1 < size && heap[c + 1] < heap[c]) c++;
                if (heap[c] >= v) break;
                heap[k] = heap[c];
                k = c;
            }
            heap[k] = v;
        }

        /** Canonical codes (RFC 1951 3.2.2) for {@code lengths[0, n)}, bit-reversed. */
        static void codes(int[] lengths, int n, int[] codes) {
            int[] count = new int[MAX_BITS + 1];
            for (int s = 0; s < n; s++) count[lengths[s]]++;
            count[0] = 0;
            int[] next = new int[MAX_BITS + 2];
            int code = 0;
            for (int bits = 1; bits <= MAX_BITS; bits++) {
                code = (code + count[bits - 1]) << 1;
                next[bits] = code;
            }
            for (int s = 0; s < n; s++) {
                int l = lengths[s];
                codes[s] = l == 0 ? 0 : Integer.reverse(next[l]++) >>> (32 - l);
            }
        }
    }

    /** Bits LSB-first into a byte array sized by the caller's bound. */
    private static final class BitWriter {
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private byte[] buf;
        private int pos;
        private long acc;
        private int count;

        BitWriter(int capacity) {
            buf = new byte[capacity + 8]; // bits() stores 8 bytes at pos, at most 7 of them beyond the data
        }

        // Branch-free: the whole accumulator is stored at every call and only its full bytes kept.
        void bits(int value, int n) {
            acc |= (long) value << count;
            count += n;
            LONG.set(buf, pos, acc);
            int full = count >>> 3;
            pos += full;
            acc >>>= full << 3; // count was at most 7 + 16 bits, so full is at most 2
            count &= 7;
        }

        /**
         * The block's symbols under its codes: the hot loop, on locals, with a run's length code, extra bits and
         * distance code put in one store (at most 15 + 5 + 15 bits, plus the 7 pending).
         */
        void symbols(int[] symbols, int n, int[] litCode, int[] litLen, int[] distCode, int[] distLen) {
            byte[] b = buf;
            long a = acc;
            int c = count, p = pos;
            for (int k = 0; k < n; k++) {
                int s = symbols[k];
                long v;
                int len;
                if (s < 0x10000) {
                    v = litCode[s];
                    len = litLen[s];
                } else {
                    int run = s & 0xffff, code = LENGTH_SYMBOL[run], d = (s >>> 16) - 1;
                    int lenCode = 257 + code, extra = LENGTH_EXTRA[code];
                    v = litCode[lenCode] | (long) (run - LENGTH_BASE[code]) << litLen[lenCode]
                            | (long) distCode[d] << (litLen[lenCode] + extra);
                    len = litLen[lenCode] + extra + distLen[d];
                }
                a |= v << c;
                c += len;
                LONG.set(b, p, a);
                int full = c >>> 3;
                p += full;
                a >>>= full << 3;
                c &= 7;
            }
            acc = a;
            count = c;
            pos = p;
        }

        void alignToByte() {
            if (count > 0) {
                buf[pos++] = (byte) acc;
                acc = 0;
                count = 0;
            }
        }

        void bytes(byte[] in, int off, int len) {
            ensure(len);
            System.arraycopy(in, off, buf, pos, len);
            pos += len;
        }

        void ensure(int more) {
            if (pos + more + 8 > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more + 8));
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, pos);
        }
    }
}
