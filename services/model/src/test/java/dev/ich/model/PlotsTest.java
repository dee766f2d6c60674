package dev.ich.model;

import dev.ich.core.training.Schedule;
import dev.ich.core.training.Optimizer;

import dev.ich.core.training.Architecture;
import dev.ich.core.training.Task;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlotsTest {
    static final List<EpochResult> EPOCHS = List.of(
            new EpochResult(0, "frozen", 0.5, 0.4, 0.85, Map.of("any", 0.9), null, 12.5),
            new EpochResult(1, "unfrozen", 0.3, 0.35, 0.88, Map.of("any", 0.93), null, 13.0));

    @Test
    void lossLrFinderAndRocPlotsAreNonBlankPngs() throws IOException {
        byte[] losses = Plots.lossCurves(List.of(0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.35), 4, EPOCHS);
        LrFinderResult sweep = new LrFinderResult(List.of(1e-5, 1e-4, 1e-3, 1e-2, 1e-1), List.of(0.7, 0.69, 0.5, 0.4, 3.0),
                List.of(0.7, 0.69, 0.6, 0.5, 1.2), 1e-3, 1e-3, 1e-2, true);
        byte[] finder = Plots.lrFinder(sweep);
        Predictions p = new Predictions(List.of("a", "b", "c", "d"), new float[] {0.9f, 0.3f, 0.6f, 0.1f}, new float[] {1, 0, 1, 0}, 1);
        byte[] roc = Plots.roc(p);
        for (byte[] png : List.of(losses, finder, roc)) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image.getWidth()).isEqualTo(Plots.WIDTH);
            assertThat(distinctColours(image)).isGreaterThan(10);
        }
    }

    @Test
    void theResultsGridFramesMistakesInRedAndCaptionsPredictionAndTruth() throws IOException {
        BufferedImage slice = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        Plots.GridItem right = new Plots.GridItem(slice, new float[] {0.93f}, new float[] {1});
        Plots.GridItem wrong = new Plots.GridItem(slice, new float[] {0.2f}, new float[] {1});
        assertThat(right.captions()).containsExactly("pred 0.93 / true 1");
        assertThat(right.mistake()).isFalse();
        assertThat(wrong.mistake()).isTrue();
        assertThat(new Plots.GridItem(slice, new float[] {0.1f, 0, 0, 0, 0, 0.8f}, new float[] {0, 0, 0, 0, 0, 1}).captions())
                .hasSize(6).last().isEqualTo("any pred 0.80 / true 1");

        BufferedImage grid = ImageIO.read(new ByteArrayInputStream(Plots.resultsGrid(List.of(right, wrong, right), 2)));
        assertThat(grid.getWidth()).isEqualTo(2 * 192);
        assertThat(new Color(grid.getRGB(192 + 2, 60))).as("the mistake's frame").isEqualTo(Color.RED);
        assertThat(new Color(grid.getRGB(2, 60))).as("no frame on a right call").isNotEqualTo(Color.RED);
    }

    @Test
    void heatmapsAreCaptionedWithTheLabelTheyExplainAndMistakesAreFramed() throws Exception {
        BufferedImage overlay = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Plots.HeatmapItem mistake = new Plots.HeatmapItem(overlay, "subdural", 0.1f, 1);
        Plots.HeatmapItem right = new Plots.HeatmapItem(overlay, "any", 0.9f, 1);
        assertThat(mistake.captions()).containsExactly("subdural (mistake)", "pred 0.10 / true 1");
        assertThat(right.captions()).containsExactly("any", "pred 0.90 / true 1");
        BufferedImage grid = ImageIO.read(new ByteArrayInputStream(Plots.heatmapGrid(List.of(mistake, right), 2)));
        assertThat(grid.getWidth()).isEqualTo(2 * 192);
        assertThat(new Color(grid.getRGB(2, 60))).as("the mistake's frame").isEqualTo(Color.RED);
        assertThat(new Color(grid.getRGB(192 + 2, 60))).isNotEqualTo(Color.RED);
    }

    @Test
    void theReportIsOnePageWithEveryFigureInlined() {
        Map<String, byte[]> figures = new LinkedHashMap<>();
        figures.put("Losses", Plots.lossCurves(List.of(0.9, 0.5), 1, EPOCHS));
        figures.put("Results <grid>", Plots.resultsGrid(List.of(new Plots.GridItem(new BufferedImage(8, 8, 1), new float[] {0.9f},
                new float[] {0})), 1));
        String html = TrainingReport.html("resnet18 any", new ModelSpec(Architecture.RESNET18, Task.ANY, 3, 256, 0.5),
                new FitPlan(1, 2, 1e-6, 1e-3, Schedule.ONE_CYCLE, Optimizer.ADAMW, 0.01), EPOCHS, figures);

        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script").contains("Results &lt;grid&gt;")
                .contains("<td>unfrozen</td>").contains("0.8800").contains("AUC any");
        for (byte[] png : figures.values()) assertThat(html).contains(Base64.getEncoder().encodeToString(png));
    }

    @Test
    void theReportShowsCalibrationAndTheOperatingPointWithTheReliabilityDiagram() throws IOException {
        float[][] d = CalibrationTest.drawn(21, 2.0);
        Predictions validation = new Predictions(List.of(), d[0], d[1], 1);
        Calibration calibration = Calibration.fit(validation);
        byte[] reliability = Plots.reliability(calibration);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(reliability));
        assertThat(image.getWidth()).isEqualTo(Plots.WIDTH);
        assertThat(distinctColours(image)).isGreaterThan(10);
        Map<String, byte[]> figures = new LinkedHashMap<>();
        figures.put("reliability", reliability);
        Map<String, OperatingPoints.Point> points = OperatingPoints.choose(calibration.apply(validation), 0.95);
        String html = TrainingReport.html("resnet18 any", new ModelSpec(Architecture.RESNET18, Task.ANY, 3, 256, 0.5),
                new FitPlan(1, 2, 1e-6, 1e-3, Schedule.ONE_CYCLE, Optimizer.ADAMW, 0.01), EPOCHS, figures, calibration, points, 0.95);
        assertThat(html).contains("<h2>Calibration</h2>").contains("<h2>Operating point</h2>").contains("sensitivity at least 0.95")
                .contains(String.format(java.util.Locale.ROOT, "<td>%.3f</td>", calibration.temperature("any")))
                .contains(String.format(java.util.Locale.ROOT, "<td>%.4f</td>", calibration.labels().get("any").eceAfter()))
                .contains(String.format(java.util.Locale.ROOT, "<td>%.4f</td>", points.get("any").threshold()))
                .contains(calibration.note("any")).contains(Base64.getEncoder().encodeToString(reliability));
        // the page without them (an LR finder run) has neither section
        String bare = TrainingReport.html("resnet18 any", new ModelSpec(Architecture.RESNET18, Task.ANY, 3, 256, 0.5),
                new FitPlan(1, 2, 1e-6, 1e-3, Schedule.ONE_CYCLE, Optimizer.ADAMW, 0.01), EPOCHS, Map.of());
        assertThat(bare).doesNotContain("<h2>Calibration</h2>").doesNotContain("<h2>Operating point</h2>");
    }

    static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) for (int x = 0; x < image.getWidth(); x += 3) colours.add(image.getRGB(x, y));
        return colours.size();
    }
}
