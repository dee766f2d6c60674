package dev.ich.labeling.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ich.labeling.exploration.Exploration;
import dev.ich.labeling.exploration.Exploration.BitsCount;
import dev.ich.testkit.Chromium;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ExplorationChartsTest {

    private static final Map<String, Function<Exploration, byte[]>> CHARTS = Map.of(
            "nulls", ExplorationCharts::nulls,
            "target", ExplorationCharts::target,
            "subtypes", ExplorationCharts::subtypes,
            "bits", ExplorationCharts::bits,
            "pctWindow", ExplorationCharts::pctWindow);

    @Test
    void everyChartOfALabeledTableIsADrawnPngOfTheExpectedSize() throws IOException {
        Exploration e = SyntheticExploration.labeled();
        for (var chart : CHARTS.entrySet()) {
            BufferedImage img = decode(chart.getValue().apply(e));
            assertThat(img.getWidth()).as(chart.getKey()).isEqualTo(ExplorationCharts.WIDTH);
            assertThat(img.getHeight()).as(chart.getKey())
                    .isEqualTo(chart.getKey().equals("nulls") ? ExplorationCharts.NULLS_HEIGHT : ExplorationCharts.HEIGHT);
            // bars, axes and anti-aliased text: far more than a blank or a text-only picture
            assertThat(Chromium.nonBackgroundShare(img)).as(chart.getKey()).isGreaterThan(0.03);
            assertThat(Chromium.distinctColours(img)).as(chart.getKey()).isGreaterThan(30);
        }
    }

    @Test
    void nearlyAllNullColumnsAreDrawnInTheirOwnColour() throws IOException {
        BufferedImage img = decode(ExplorationCharts.nulls(SyntheticExploration.labeled()));
        assertThat(pixels(img, ExplorationCharts.NEARLY_ALL_NULL.getRGB())).isGreaterThan(1_000);
        assertThat(pixels(img, ExplorationCharts.BARS.getRGB())).isGreaterThan(1_000);
    }

    @Test
    void theHistogramShowsTheThresholdAndTheShareOfPositivesOnlyWhenLabelsExist() throws IOException {
        BufferedImage labeled = decode(ExplorationCharts.pctWindow(SyntheticExploration.labeled()));
        BufferedImage unlabeled = decode(ExplorationCharts.pctWindow(SyntheticExploration.unlabeled()));

        assertThat(pixels(labeled, ExplorationCharts.THRESHOLD.getRGB())).isGreaterThan(100);
        assertThat(pixels(unlabeled, ExplorationCharts.THRESHOLD.getRGB())).isGreaterThan(100);
        assertThat(pixels(labeled, ExplorationCharts.POSITIVE.getRGB())).isGreaterThan(100);
        assertThat(pixels(unlabeled, ExplorationCharts.POSITIVE.getRGB())).isZero();
    }

    @Test
    void anEmptyTableGivesPicturesThatSaySoInsteadOfFailing() throws IOException {
        Exploration empty = SyntheticExploration.empty();
        for (var chart : CHARTS.entrySet()) {
            BufferedImage img = decode(chart.getValue().apply(empty));
            assertThat(img.getWidth()).as(chart.getKey()).isEqualTo(ExplorationCharts.WIDTH);
            assertThat(Chromium.nonBackgroundShare(img)).as(chart.getKey()).isGreaterThan(0.001).isLessThan(0.05);
        }
        assertThat(ExplorationCharts.nullColumnsNotShown(empty)).isZero();
    }

    @Test
    void bitsAreNamedAfterDepthAndSign() {
        assertThat(ExplorationCharts.bitsLabel(new BitsCount(12L, 0L, 1))).isEqualTo("12 bit / unsigned");
        assertThat(ExplorationCharts.bitsLabel(new BitsCount(16L, 1L, 1))).isEqualTo("16 bit / signed");
        assertThat(ExplorationCharts.bitsLabel(new BitsCount(null, null, 1))).isEqualTo("unknown bits / unknown");
    }

    @Test
    void theChartsRunWithoutADisplay() {
        ExplorationCharts.target(SyntheticExploration.labeled());
        assertThat(System.getProperty("java.awt.headless")).isEqualTo("true");
        assertThat(java.awt.GraphicsEnvironment.isHeadless()).isTrue();
    }

    static BufferedImage decode(byte[] png) throws IOException {
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img).isNotNull();
        return img;
    }

    private static int pixels(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }
}
