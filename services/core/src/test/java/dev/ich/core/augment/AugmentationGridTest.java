package dev.ich.core.augment;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

class AugmentationGridTest {

    @Test
    void theGridShowsTheOriginalAndEachAugmentationWithCaptions() {
        System.setProperty("java.awt.headless", "true");
        PlanarImage img = AugmenterTest.noise(3, 256, 256, 1);

        BufferedImage grid = AugmentationGrid.render(img, new Augmenter(AugmentationConfig.defaults()), 7, 42, 4);

        int pad = AugmentationGrid.PAD, tileH = 256 + AugmentationGrid.CAPTION_HEIGHT;
        assertThat(grid.getWidth()).isEqualTo(pad + 4 * (256 + pad));
        assertThat(grid.getHeight()).isEqualTo(pad + 2 * (tileH + pad));
        // The original sits unchanged in the first tile.
        BufferedImage first = img.toBufferedImage();
        assertThat(grid.getRGB(pad + 100, pad + 50)).isEqualTo(first.getRGB(100, 50));
        // Each caption strip holds some light text pixels on the dark background.
        int background = AugmentationGrid.BACKGROUND.getRGB();
        for (int tile = 0; tile < 8; tile++) {
            int x0 = pad + (tile % 4) * (256 + pad), y0 = pad + (tile / 4) * (tileH + pad) + 256;
            int text = 0;
            for (int y = y0; y < y0 + AugmentationGrid.CAPTION_HEIGHT; y++) {
                for (int x = x0; x < x0 + 256; x++) if (grid.getRGB(x, y) != background) text++;
            }
            assertThat(text).as("caption pixels of tile %d", tile).isGreaterThan(20);
        }
        // The same seed draws the same grid.
        BufferedImage again = AugmentationGrid.render(img, new Augmenter(AugmentationConfig.defaults()), 7, 42, 4);
        assertThat(again.getRGB(0, 0, grid.getWidth(), grid.getHeight(), null, 0, grid.getWidth()))
                .isEqualTo(grid.getRGB(0, 0, grid.getWidth(), grid.getHeight(), null, 0, grid.getWidth()));
    }

    @Test
    void smallImagesGetTilesWideEnoughForTheirCaptions() {
        System.setProperty("java.awt.headless", "true");
        PlanarImage img = AugmenterTest.noise(1, 16, 16, 2);

        BufferedImage grid = AugmentationGrid.render(img, new Augmenter(new AugmentationConfig(1, 15, 1, 1, 1)), 2, 1, 3);

        assertThat(grid.getWidth()).isGreaterThan(AugmentationGrid.PAD + 3 * (16 + AugmentationGrid.PAD) + 100);
        assertThat(grid.getHeight()).isEqualTo(AugmentationGrid.PAD + 16 + AugmentationGrid.CAPTION_HEIGHT + AugmentationGrid.PAD);
    }
}
