package dev.ich.core.clean;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PngDecoderTest {

    @Test
    void readsBackWhatPngEncoderWritesAtEveryLevel() {
        int w = 61, h = 29;
        byte[] rgb = smoothNoise(w * h * 3, 5);
        byte[] grey = smoothNoise(w * h, 6);
        for (int level = 0; level <= 9; level++) {
            PngDecoder.Pixels p = PngDecoder.decode(PngEncoder.encode(rgb, w, h, 3, level));
            assertThat(p.width()).isEqualTo(w);
            assertThat(p.height()).isEqualTo(h);
            assertThat(p.channels()).isEqualTo(3);
            assertThat(p.bytes()).as("level %d", level).isEqualTo(rgb);
            assertThat(PngDecoder.decode(PngEncoder.encode(grey, w, h, 1, level)).bytes()).isEqualTo(grey);
        }
    }

    @Test
    void readsEveryRowFilterAsImageIoDoes() throws Exception {
        // ImageIO's writer picks a filter per row among all five (None, Sub, Up, Average, Paeth)
        int w = 83, h = 47;
        for (int type : new int[]{BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_BYTE_GRAY}) {
            BufferedImage img = new BufferedImage(w, h, type);
            SplittableRandom random = new SplittableRandom(type);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = (x * 3 + y * 2 + random.nextInt(9)) & 0xff;
                    img.setRGB(x, y, v << 16 | ((v * 7) & 0xff) << 8 | (255 - v));
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            PngDecoder.Pixels p = PngDecoder.decode(png.toByteArray());
            BufferedImage back = ImageIO.read(new java.io.ByteArrayInputStream(png.toByteArray()));
            int k = p.channels();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < k; c++) {
                        assertThat(p.bytes()[(y * w + x) * k + c] & 0xff).isEqualTo(back.getRaster().getSample(x, y, c));
                    }
                }
            }
        }
    }

    @Test
    void otherLayoutsAreLeftToImageIo() throws Exception {
        for (int type : new int[]{BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_USHORT_GRAY}) {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(9, 7, type), "png", png);
            assertThat(PngDecoder.decode(png.toByteArray())).as("type %d", type).isNull();
        }
    }

    @Test
    void brokenBytesAreRefusedWithTheReason() {
        byte[] png = PngEncoder.encode(smoothNoise(40 * 30 * 3, 7), 40, 30, 3);
        assertThatThrownBy(() -> PngDecoder.decode(new byte[]{1, 2, 3})).hasMessageContaining("signature");
        byte[] truncated = java.util.Arrays.copyOf(png, png.length - 30);
        assertThatThrownBy(() -> PngDecoder.decode(truncated)).hasMessageContaining("truncated");
        byte[] flipped = png.clone();
        flipped[60] ^= 0x10;
        assertThatThrownBy(() -> PngDecoder.decode(flipped)).hasMessageContaining("CRC");
        byte[] huge = png.clone();
        // IHDR width 100000 x height 30: the CRC is recomputed so only the size is wrong
        java.nio.ByteBuffer.wrap(huge, 16, 4).putInt(100_000);
        java.nio.ByteBuffer.wrap(huge, 20, 4).putInt(1_000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(huge, 12, 17);
        java.nio.ByteBuffer.wrap(huge, 29, 4).putInt((int) crc.getValue());
        assertThatThrownBy(() -> PngDecoder.decode(huge)).hasMessageContaining("larger than");
    }

    private static byte[] smoothNoise(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i % 97 < 30 ? 0 : 100 + random.nextInt(20));
        return b;
    }
}
