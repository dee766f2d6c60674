package dev.ich.core.augment;

import dev.ich.core.clean.PngEncoder;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanarImageTest {

    @Test
    void anRgbPngBecomesThreePlanesAndGoesBackByteForByte() {
        int w = 7, h = 5;
        byte[] rgb = new byte[w * h * 3];
        new SplittableRandom(3).nextBytes(rgb);
        byte[] png = PngEncoder.encode(rgb, w, h, 3);

        PlanarImage img = PlanarImage.fromPng(png);

        assertThat(img.channels()).isEqualTo(3);
        assertThat(img.height()).isEqualTo(h);
        assertThat(img.width()).isEqualTo(w);
        // Interleaved RGB pixel (x=4, y=2) lands in three planes, in R, G, B order.
        int i = (2 * w + 4) * 3;
        assertThat(img.get(0, 2, 4)).isEqualTo((rgb[i] & 0xff) / 255f);
        assertThat(img.get(1, 2, 4)).isEqualTo((rgb[i + 1] & 0xff) / 255f);
        assertThat(img.get(2, 2, 4)).isEqualTo((rgb[i + 2] & 0xff) / 255f);
        assertThat(img.toPng()).isEqualTo(png);
        assertThat(PlanarImage.fromPng(img.toPng())).isEqualTo(img);
        assertThat(img.toBufferedImage().getRGB(4, 2) & 0xffffff)
                .isEqualTo((rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff));
    }

    @Test
    void aGreyPngBecomesOnePlane() {
        byte[] grey = {0, (byte) 255, 51, 102, (byte) 204, 17};
        PlanarImage img = PlanarImage.fromPng(PngEncoder.encode(grey, 3, 2, 1));

        assertThat(img.channels()).isEqualTo(1);
        assertThat(img.get(0, 0, 1)).isEqualTo(1f);
        assertThat(img.get(0, 1, 0)).isEqualTo(0.4f);
        assertThat(img.toBufferedImage().getRaster().getSample(2, 1, 0)).isEqualTo(17);
    }

    @Test
    void bytesThatAreNoPngAreRefusedWithAReason() {
        assertThatThrownBy(() -> PlanarImage.fromPng("GIF89a...".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PNG");
        byte[] cut = PngEncoder.encode(new byte[64 * 64], 64, 64, 1);
        byte[] truncated = java.util.Arrays.copyOf(cut, 20);
        assertThatThrownBy(() -> PlanarImage.fromPng(truncated))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unreadable PNG");
    }

    @Test
    void valuesOutsideTheUnitRangeAreRefused() {
        assertThatThrownBy(() -> new PlanarImage(1, 1, 2, new float[]{0.5f, 1.5f}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5").hasMessageContaining("index 1");
        assertThatThrownBy(() -> new PlanarImage(3, 2, 2, new float[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 12");
    }
}
