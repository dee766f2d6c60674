package dev.ich.core.clean;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the PNGs ich writes (8-bit greyscale or RGB, not interlaced, any of the five row filters) into
 * interleaved bytes. The trainer decodes every sample of every epoch: ImageIO's reader took 0.8-1.3 ms
 * a 256x256 slice through its general colour and raster machinery, where inflate and the filters are
 * the whole work. Other PNGs (palettes, alpha, 16 bits, interlaced) are not this decoder's: it answers
 * {@code null} for them and the caller uses ImageIO.
 */
public final class PngDecoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** Larger images are refused before anything is allocated for them (a cleaned slice is 196 kB). */
    public static final long MAX_RAW_BYTES = 64L << 20;

    /** Interleaved pixels, {@code channels} (1 or 3) bytes each, rows top to bottom. */
    public record Pixels(int width, int height, int channels, byte[] bytes) {
    }

    private PngDecoder() {
    }

    /**
     * The pixels of {@code png}, or {@code null} when it is a valid PNG of a layout other than 8-bit grey or
     * RGB without interlacing.
     *
     * @throws IllegalArgumentException when the bytes are not a complete, well-formed PNG
     */
    public static Pixels decode(byte[] png) {
        if (png.length < SIGNATURE.length || !java.util.Arrays.equals(png, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new IllegalArgumentException("not a PNG: the bytes do not start with the PNG signature");
        }
        int pos = SIGNATURE.length;
        int width = 0, height = 0, channels = 0;
        byte[] raw = null;
        Inflater inflater = null;
        int rawFilled = 0;
        boolean header = false;
        try {
            while (true) {
                if (pos + 12 > png.length) throw new IllegalArgumentException("truncated PNG: no IEND chunk");
                int length = readInt(png, pos);
                if (length < 0 || length > png.length - pos - 12) {
                    throw new IllegalArgumentException("truncated PNG: a chunk of " + length + " bytes at offset " + pos + " runs past the end");
                }
                String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
                int data = pos + 8;
                CRC32 crc = new CRC32();
                crc.update(png, pos + 4, length + 4);
                if ((int) crc.getValue() != readInt(png, data + length)) {
                    throw new IllegalArgumentException("corrupt PNG: bad CRC of the " + type + " chunk at offset " + pos);
                }
                pos = data + length + 4;
                switch (type) {
                    case "IHDR" -> {
                        if (header || length != 13) throw new IllegalArgumentException("corrupt PNG: bad IHDR chunk");
                        header = true;
                        width = readInt(png, data);
                        height = readInt(png, data + 4);
                        int depth = png[data + 8], colour = png[data + 9], interlace = png[data + 12];
                        if (width <= 0 || height <= 0) throw new IllegalArgumentException("corrupt PNG: size " + width + "x" + height);
                        if (depth != 8 || (colour != 0 && colour != 2) || interlace != 0) return null;
                        channels = colour == 2 ? 3 : 1;
                        long rawBytes = ((long) width * channels + 1) * height;
                        if (rawBytes > MAX_RAW_BYTES) {
                            throw new IllegalArgumentException("PNG of " + width + "x" + height + " is larger than the " + (MAX_RAW_BYTES >> 20)
                                    + " MiB a decoded image may take");
                        }
                        raw = new byte[(int) rawBytes];
                        inflater = new Inflater();
                    }
                    case "IDAT" -> {
                        if (!header) throw new IllegalArgumentException("corrupt PNG: IDAT before IHDR");
                        inflater.setInput(png, data, length);
                        while (!inflater.needsInput() && !inflater.finished()) {
                            int n = inflater.inflate(raw, rawFilled, raw.length - rawFilled);
                            rawFilled += n;
                            if (n == 0 && (inflater.needsDictionary() || rawFilled == raw.length)) break;
                        }
                    }
                    case "IEND" -> {
                        if (!header) throw new IllegalArgumentException("corrupt PNG: no IHDR chunk");
                        if (rawFilled != raw.length) {
                            throw new IllegalArgumentException("truncated PNG: image data holds " + rawFilled + " of " + raw.length + " bytes");
                        }
                        return new Pixels(width, height, channels, unfilter(raw, width, height, channels));
                    }
                    default -> {
                        if (!header) throw new IllegalArgumentException("corrupt PNG: " + type + " before IHDR");
                        // ancillary chunks (gamma, text, ...) do not change 8-bit grey or RGB samples
                        if ((type.charAt(0) & 0x20) == 0 && !type.equals("PLTE")) return null;
                    }
                }
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt PNG: image data does not inflate (" + e.getMessage() + ")", e);
        } finally {
            if (inflater != null) inflater.end();
        }
    }

    /** Undoes the row filters (PNG spec 9.2) into rows without their filter byte. */
    private static byte[] unfilter(byte[] raw, int width, int height, int bpp) {
        int stride = width * bpp;
        byte[] out = new byte[stride * height];
        for (int y = 0; y < height; y++) {
            int in = y * (stride + 1) + 1, o = y * stride, up = o - stride;
            int filter = raw[in - 1];
            switch (filter) {
                case 0 -> System.arraycopy(raw, in, out, o, stride);
                case 1 -> {
                    System.arraycopy(raw, in, out, o, bpp);
                    for (int x = bpp; x < stride; x++) out[o + x] = (byte) (raw[in + x] + out[o + x - bpp]);
                }
                case 2 -> {
                    if (y == 0) System.arraycopy(raw, in, out, o, stride);
                    else for (int x = 0; x < stride; x++) out[o + x] = (byte) (raw[in + x] + out[up + x]);
                }
                case 3 -> {
                    for (int x = 0; x < stride; x++) {
                        int a = x >= bpp ? out[o + x - bpp] & 0xff : 0, b = y > 0 ? out[up + x] & 0xff : 0;
                        out[o + x] = (byte) (raw[in + x] + ((a + b) >>> 1));
                    }
                }
                case 4 -> {
                    for (int x = 0; x < stride; x++) {
                        int a = x >= bpp ? out[o + x - bpp] & 0xff : 0, b = y > 0 ? out[up + x] & 0xff : 0;
                        int c = x >= bpp && y > 0 ? out[up + x - bpp] & 0xff : 0;
                        out[o + x] = (byte) (raw[in + x] + paeth(a, b, c));
                    }
                }
                default -> throw new IllegalArgumentException("corrupt PNG: row " + y + " has filter type " + filter + " (0 to 4 exist)");
            }
        }
        return out;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
