package dev.ich.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChromiumTest {

    @TempDir
    Path dir;

    @Test
    void aColouredBlockShowsUpInTheScreenshotAndABlankPageDoesNot() throws IOException {
        assumeTrue(Chromium.available(), "chromium is not installed (apt-get install chromium): screenshot test skipped");
        Path block = page("block.html", "<div style=\"width:200px;height:150px;background:#c0392b\"></div>");
        Path blank = page("blank.html", "");

        BufferedImage withBlock = ImageIO.read(Chromium.screenshot(block.toUri(), dir.resolve("block.png"), 400, 300).toFile());
        BufferedImage empty = ImageIO.read(Chromium.screenshot(blank.toUri(), dir.resolve("blank.png"), 400, 300).toFile());

        assertThat(withBlock.getWidth()).isEqualTo(400);
        assertThat(withBlock.getHeight()).isEqualTo(300);
        // 200 x 150 of 400 x 300 is a quarter of the viewport
        assertThat(Chromium.nonBackgroundShare(withBlock)).isBetween(0.2, 0.3);
        assertThat(Chromium.nonBackgroundShare(empty)).isLessThan(0.001);
        assertThat(Chromium.distinctColours(empty)).isEqualTo(1);
    }

    @Test
    void nonBackgroundShareCountsPixelsUnlikeTheCommonestColour() {
        BufferedImage img = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 10, 10);
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 10, 3);
        g.dispose();

        assertThat(Chromium.nonBackgroundShare(img)).isEqualTo(0.3);
        assertThat(Chromium.distinctColours(img)).isEqualTo(2);
    }

    private Path page(String name, String body) throws IOException {
        return Files.writeString(dir.resolve(name),
                "<!doctype html><html><body style=\"margin:0;background:#fff\">" + body + "</body></html>");
    }
}
