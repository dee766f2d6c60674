package dev.ich.model.explain;

import dev.ich.core.augment.PlanarImage;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeatmapOverlayTest {
    @Test
    void belowTheFloorTheSliceShowsThroughAndAboveItTheMapsColourIsBlendedIn() throws Exception {
        int h = 16, w = 24;
        float[][] grey = new float[h][w];
        float[][] cam = new float[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                grey[y][x] = x / (w - 1f);
                cam[y][x] = y / (h - 1f);
            }
        }
        BufferedImage image = HeatmapOverlay.render(cam, grey);
        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.getWidth()).isEqualTo(w);
        assertThat(image.getHeight()).isEqualTo(h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                int g = Math.round(255 * grey[y][x]);
                if (cam[y][x] < HeatmapOverlay.FLOOR) {
                    assertThat(rgb).as("untouched grey at %d,%d", y, x).isEqualTo(g << 16 | g << 8 | g);
                } else {
                    int[] c = HeatmapOverlay.inferno(cam[y][x]);
                    assertThat((rgb >> 16) & 0xff).isCloseTo(Math.round(0.6f * g + 0.4f * c[0]), org.assertj.core.data.Offset.offset(1));
                    assertThat(rgb & 0xff).isCloseTo(Math.round(0.6f * g + 0.4f * c[2]), org.assertj.core.data.Offset.offset(1));
                }
            }
        }
        // Inferno runs from near-black purple to pale yellow.
        assertThat(HeatmapOverlay.inferno(1f)).containsExactly(252, 255, 164);
        assertThat(HeatmapOverlay.inferno(0.25f)).containsExactly(85, 15, 109);

        BufferedImage decoded = PlanarImage.readPng(HeatmapOverlay.png(cam, grey));
        assertThat(decoded.getWidth()).isEqualTo(w);
        assertThat(decoded.getRGB(w - 1, h - 1) & 0xffffff).isEqualTo(image.getRGB(w - 1, h - 1) & 0xffffff);
    }

    @Test
    void aChannelIsCutFromAChannelFirstImageAndSizesMustAgree() {
        float[] image = new float[3 * 2 * 2];
        for (int i = 0; i < image.length; i++) image[i] = i;
        assertThat(HeatmapOverlay.channel(image, 1, 2, 2)).isDeepEqualTo(new float[][] {{4, 5}, {6, 7}});
        assertThatThrownBy(() -> HeatmapOverlay.render(new float[2][3], new float[2][2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same size");
    }
}
