package dev.ich.labeling.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ich.labeling.exploration.Exploration;
import dev.ich.labeling.exploration.Exploration.SampleSlice;
import dev.ich.testkit.Chromium;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report as a person sees it: drawn by a real browser, charts and sample pictures included. */
class ExplorationReportScreenshotTest {

    static final int WIDTH = 1200;
    static final int HEIGHT = 4200;
    /** Kept for people to look at after a test run (docs/img/exploration-report.png is the live service's page). */
    static final Path KEPT = Path.of("target", "report-screenshots", "exploration-report-synthetic.png");

    @TempDir
    Path dir;

    @Test
    void theSyntheticReportIsDrawnWithChartsAndSlices() throws IOException {
        assumeTrue(Chromium.available(),
                "chromium is not installed (apt-get install chromium; ./ich installs it): screenshot test skipped");
        Exploration e = SyntheticExploration.labeled();
        // file:// ignores the query string, so one stand-in picture per UID serves every window
        fakeSliceImages(e.samples());
        fakeSliceImages(e.droppedSlices());
        Path page = Files.writeString(dir.resolve("report.html"), ExplorationReport.html(e, "slices/"));

        Path png = Chromium.screenshot(page.toUri(), dir.resolve("report.png"), WIDTH, HEIGHT);

        BufferedImage shot = ImageIO.read(png.toFile());
        assertThat(shot.getWidth()).isEqualTo(WIDTH);
        assertThat(shot.getHeight()).isEqualTo(HEIGHT);
        // five charts of 1100 px wide and ~26 stand-in slices: a blank or text-only page is far below both
        assertThat(Chromium.nonBackgroundShare(shot)).isGreaterThan(0.10);
        assertThat(Chromium.distinctColours(shot)).isGreaterThan(500);
        // the chart colours made it through the browser
        assertThat(contains(shot, ExplorationCharts.NEARLY_ALL_NULL)).isTrue();
        assertThat(contains(shot, ExplorationCharts.THRESHOLD)).isTrue();
        Files.createDirectories(KEPT.getParent());
        Files.copy(png, KEPT, StandardCopyOption.REPLACE_EXISTING);
    }

    private void fakeSliceImages(List<SampleSlice> slices) throws IOException {
        for (int i = 0; i < slices.size(); i++) {
            BufferedImage img = new BufferedImage(ExplorationReport.SAMPLE_SIZE, ExplorationReport.SAMPLE_SIZE,
                    BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.WHITE);
            g.fillOval(18, 10, 124, 140);
            g.setColor(new Color(90 + 10 * i, 90 + 10 * i, 90 + 10 * i));
            g.fillOval(26, 18, 108, 124);
            g.dispose();
            Path file = dir.resolve("slices").resolve(slices.get(i).uid()).resolve("image");
            Files.createDirectories(file.getParent());
            ImageIO.write(img, "png", file.toFile());
        }
    }

    private static boolean contains(BufferedImage img, Color colour) {
        int rgb = colour.getRGB() & 0xFFFFFF;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }
}
