package dev.ich.core.clean;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class PngEncoderTest {

    @Test
    void javasOwnDecoderReadsBackEveryRgbAndGreyPixel() throws Exception {
        int w = 37, h = 23;
        byte[] rgb = new byte[w * h * 3];
        new SplittableRandom(1).nextBytes(rgb);

        BufferedImage img = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(rgb, w, h, 3)));

        assertThat(img.getWidth()).isEqualTo(w);
        assertThat(img.getHeight()).isEqualTo(h);
        assertThat(img.getColorModel().getNumComponents()).isEqualTo(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                int expected = (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
                assertThat(img.getRGB(x, y) & 0xffffff).isEqualTo(expected);
            }
        }

        byte[] grey = new byte[w * h];
        new SplittableRandom(2).nextBytes(grey);
        BufferedImage g = ImageIO.read(new ByteArrayInputStream(PngEncoder.encode(grey, w, h, 1)));
        assertThat(g.getRaster().getSample(5, 7, 0)).isEqualTo(grey[7 * w + 5] & 0xff);
        assertThat(g.getRaster().getNumBands()).isEqualTo(1);
    }
}
