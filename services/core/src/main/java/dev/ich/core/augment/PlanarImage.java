package dev.ich.core.augment;

import dev.ich.core.clean.PngDecoder;
import dev.ich.core.clean.PngEncoder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * An image as the network sees it: {@code channels x height x width} floats in [0, 1], channel-major
 * (CHW) like a tensor, so the trainer can copy it into one without reordering. Immutable.
 */
public final class PlanarImage {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final int channels;
    private final int height;
    private final int width;
    private final float[] data;

    /** Copies {@code data} (CHW); every value must lie in [0, 1]. */
    public PlanarImage(int channels, int height, int width, float[] data) {
        this(channels, height, width, data.clone(), true);
    }

    // Augmenter builds fresh arrays it never touches again: no copy, and it clamps them itself.
    private PlanarImage(int channels, int height, int width, float[] data, boolean check) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        if (height < 1 || width < 1) throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        if (data.length != (long) channels * height * width) {
            throw new IllegalArgumentException("data holds " + data.length + " values but " + channels + "x" + height + "x" + width
                    + " needs " + (long) channels * height * width);
        }
        if (check) {
            for (int i = 0; i < data.length; i++) {
                float v = data[i];
                if (!(v >= 0f && v <= 1f)) {
                    throw new IllegalArgumentException("value " + v + " at index " + i + " is outside [0, 1]");
                }
            }
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
    }

    static PlanarImage wrap(int channels, int height, int width, float[] data) {
        return new PlanarImage(channels, height, width, data, false);
    }

    /** An 8-bit greyscale (1 channel) or RGB (3 channels) PNG, values divided by 255. */
    public static PlanarImage fromPng(byte[] png) {
        if (png == null || png.length < PNG_SIGNATURE.length
                || !Arrays.equals(png, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
            throw new IllegalArgumentException("not a PNG: the bytes do not start with the PNG signature");
        }
        PngDecoder.Pixels own;
        try {
            own = PngDecoder.decode(png);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable PNG (" + png.length + " bytes): " + e.getMessage(), e);
        }
        if (own != null) return fromInterleaved(own);
        BufferedImage img;
        try {
            img = readPng(png);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable PNG (" + png.length + " bytes): " + e.getMessage(), e);
        }
        if (img == null) throw new IllegalArgumentException("unreadable PNG (" + png.length + " bytes): no reader accepted it");
        Raster raster = img.getRaster();
        int bands = raster.getNumBands();
        boolean indexed = img.getColorModel() instanceof java.awt.image.IndexColorModel;
        if (indexed || (bands != 1 && bands != 3)) {
            throw new IllegalArgumentException("PNG must be 8-bit greyscale or RGB, got " + (indexed ? "a palette image" : bands + " bands")
                    + " (alpha and palettes are not used by the cleaning step)");
        }
        for (int b = 0; b < bands; b++) {
            int bits = raster.getSampleModel().getSampleSize(b);
            if (bits != 8) throw new IllegalArgumentException("PNG must be 8-bit, got " + bits + " bits per sample");
        }
        int w = img.getWidth(), h = img.getHeight();
        float[] data = new float[bands * h * w];
        int[] samples = new int[h * w];
        for (int b = 0; b < bands; b++) {
            raster.getSamples(0, 0, w, h, b, samples);
            int o = b * h * w;
            for (int i = 0; i < samples.length; i++) data[o + i] = samples[i] / 255f;
        }
        return wrap(bands, h, w, data);
    }

    // ich's own layout, decoded without ImageIO; the same values as the raster path below.
    private static PlanarImage fromInterleaved(PngDecoder.Pixels p) {
        int k = p.channels(), plane = p.width() * p.height();
        byte[] bytes = p.bytes();
        float[] data = new float[k * plane];
        for (int c = 0; c < k; c++) {
            int o = c * plane;
            for (int i = 0; i < plane; i++) data[o + i] = (bytes[i * k + c] & 0xff) / 255f;
        }
        return wrap(k, p.height(), p.width(), data);
    }

    /** Rounds to 8 bits; {@code fromPng(toPng())} of an image read from a PNG gives it back exactly. */
    public byte[] toPng() {
        return PngEncoder.encode(interleavedBytes(), width, height, channels);
    }

    /** {@code TYPE_BYTE_GRAY} or {@code TYPE_3BYTE_BGR}, 8 bits per sample. */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = img.getRaster();
        int[] samples = new int[height * width];
        for (int c = 0; c < channels; c++) {
            int o = c * height * width;
            for (int i = 0; i < samples.length; i++) samples[i] = to8Bit(data[o + i]);
            raster.setSamples(0, 0, width, height, c, samples);
        }
        return img;
    }

    private byte[] interleavedBytes() {
        int plane = height * width;
        byte[] out = new byte[plane * channels];
        for (int c = 0; c < channels; c++) {
            int o = c * plane;
            for (int i = 0; i < plane; i++) out[i * channels + c] = (byte) to8Bit(data[o + i]);
        }
        return out;
    }

    private static int to8Bit(float v) {
        return Math.round(v * 255f);
    }

    public float get(int c, int y, int x) {
        if (c < 0 || c >= channels || y < 0 || y >= height || x < 0 || x >= width) {
            throw new IndexOutOfBoundsException("(" + c + ", " + y + ", " + x + ") outside " + channels + "x" + height + "x" + width);
        }
        return data[(c * height + y) * width + x];
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** A copy of the CHW values. */
    public float[] data() {
        return data.clone();
    }

    /** The values without a copy, for the augmentations in this package; never written to. */
    float[] values() {
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlanarImage p && p.channels == channels && p.height == height && p.width == width
                && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * channels + height) + width) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PlanarImage[" + channels + "x" + height + "x" + width + "]";
    }

    /**
     * Decodes with the PNG reader itself: ImageIO.read asks every registered reader whether it can decode
     * the bytes first, and PixelMed's JPEG-lossless reader answers on stdout, once per image.
     */
    public static BufferedImage readPng(byte[] png) throws IOException {
        javax.imageio.ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            reader.setInput(in, true, true);
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }
}
