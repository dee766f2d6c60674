package dev.ich.model;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run's figures as PNG bytes (XChart and Java2D, headless): losses, LR finder, ROC, reliability, a results grid, a
 * heatmap grid.
 */
public final class Plots {
    static final int WIDTH = 800;
    static final int HEIGHT = 500;
    static final Color MISTAKE = Color.RED;

    private Plots() {
    }

    /** A validation slice with its prediction and truth (in output order) for {@link #resultsGrid}. */
    public record GridItem(BufferedImage image, float[] probabilities, float[] targets) {
        public static GridItem ofPng(byte[] png, float[] probabilities, float[] targets) {
            try {
                // Not ImageIO.read: it asks PixelMed's JPEG-lossless reader first, which answers on stdout.
                return new GridItem(dev.ich.core.augment.PlanarImage.readPng(png), probabilities, targets);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Wrong when any output's call at 0.5 differs from its target. */
        public boolean mistake() {
            for (int k = 0; k < probabilities.length; k++) if ((probabilities[k] >= 0.5f) != (targets[k] >= 0.5f)) return true;
            return false;
        }

        /** "pred 0.93 / true 1" per output (prefixed by the label's csv name when there are several). */
        public List<String> captions() {
            List<String> lines = new ArrayList<>();
            boolean named = probabilities.length > 1;
            List<dev.ich.core.label.Label> labels = named ? Metrics.labels(probabilities.length) : List.of();
            for (int k = 0; k < probabilities.length; k++) {
                lines.add((named ? abbreviation(labels.get(k)) + " " : "")
                        + String.format(Locale.ROOT, "pred %.2f / true %d", probabilities[k], Math.round(targets[k])));
            }
            return lines;
        }

        private static String abbreviation(dev.ich.core.label.Label label) {
            return label.csvName().substring(0, Math.min(4, label.csvName().length()));
        }
    }

    /** Training loss per step (exponentially smoothed, x in epochs) and validation loss at each epoch's end. */
    public static byte[] lossCurves(List<Double> stepLosses, int stepsPerEpoch, List<EpochResult> epochs) {
        XYChart chart = chart("Losses", "epoch", "binary cross-entropy");
        chart.getStyler().setXAxisDecimalPattern("0.#"); // steps sit at fractions of an epoch; label whole-ish epochs
        if (!stepLosses.isEmpty()) {
            double[] x = new double[stepLosses.size()];
            for (int i = 0; i < x.length; i++) x[i] = (i + 1.0) / Math.max(1, stepsPerEpoch);
            line(chart, "train (smoothed)", x, smooth(stepLosses, 0.98));
        }
        if (!epochs.isEmpty()) {
            XYSeries valid = chart.addSeries("valid", epochs.stream().mapToDouble(e -> e.epoch() + 1.0).toArray(),
                    epochs.stream().mapToDouble(EpochResult::validLoss).toArray());
            valid.setMarker(SeriesMarkers.CIRCLE);
        }
        return png(chart);
    }

    /** The finder's smoothed loss against the rate (log x), the suggestion (steepest descent) and one-cycle's peak marked. */
    public static byte[] lrFinder(LrFinderResult sweep) {
        XYChart chart = chart("Learning-rate finder", "learning rate (log)", "smoothed loss");
        chart.getStyler().setXAxisLogarithmic(true);
        double[] rates = sweep.rates().stream().mapToDouble(Double::doubleValue).toArray();
        line(chart, "smoothed loss", rates, sweep.smoothed().stream().mapToDouble(Double::doubleValue).toArray());
        int at = sweep.rates().indexOf(sweep.steepest());
        double y = at >= 0 ? sweep.smoothed().get(at) : sweep.smoothed().get(0);
        XYSeries mark = chart.addSeries(String.format(Locale.ROOT, "suggestion %.1e", sweep.steepest()),
                new double[] {sweep.steepest()}, new double[] {y});
        mark.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        mark.setMarker(SeriesMarkers.DIAMOND);
        mark.setMarkerColor(MISTAKE);
        int low = sweep.rates().indexOf(sweep.lowest());
        XYSeries peak = chart.addSeries(String.format(Locale.ROOT, "one-cycle peak %.1e", sweep.lowest()),
                new double[] {sweep.lowest()}, new double[] {low >= 0 ? sweep.smoothed().get(low) : y});
        peak.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        peak.setMarker(SeriesMarkers.CIRCLE);
        return png(chart);
    }

    /** One ROC curve per output (labels with one class only in the split are left out). */
    public static byte[] roc(Predictions p) {
        XYChart chart = chart("ROC", "false positive rate", "true positive rate");
        // Without a fixed range and pattern XChart labels the y axis with the curve's own rates at full precision.
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisMin(0.0).setXAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.0#").setXAxisDecimalPattern("0.0#");
        List<dev.ich.core.label.Label> labels = Metrics.labels(p.outputs());
        for (int k = 0; k < labels.size(); k++) {
            Metrics.Roc roc = Metrics.roc(Metrics.column(p.probabilities(), p.outputs(), k), Metrics.column(p.targets(), p.outputs(), k));
            if (Double.isNaN(roc.auc())) continue;
            line(chart, String.format(Locale.ROOT, "%s (AUC %.3f)", labels.get(k).csvName(), roc.auc()), roc.falsePositiveRate(),
                    roc.truePositiveRate());
        }
        line(chart, "chance", new double[] {0, 1}, new double[] {0, 1});
        return png(chart);
    }

    /**
     * The reliability diagram of the validation split: per label, the observed share of positives against the mean
     * calibrated probability of each non-empty bin; {@code any} also before calibration; the diagonal is perfect
     * calibration. Labels whose split has one class only are left out (nothing to compare).
     */
    public static byte[] reliability(Calibration calibration) {
        XYChart chart = chart("Reliability (validation)", "mean predicted probability", "observed share of positives");
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisMin(0.0).setXAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.0#").setXAxisDecimalPattern("0.0#");
        calibration.labels().forEach((label, fit) -> {
            if (!fit.fitted()) return;
            reliabilityLine(chart, String.format(Locale.ROOT, "%s, T %.2f (ECE %.3f)", label, fit.temperature(), fit.eceAfter()),
                    fit.after()).setMarker(SeriesMarkers.CIRCLE);
            if (label.equals(dev.ich.core.label.Label.ANY.csvName())) {
                XYSeries raw = reliabilityLine(chart, String.format(Locale.ROOT, "any uncalibrated (ECE %.3f)", fit.eceBefore()), fit.before());
                raw.setMarker(SeriesMarkers.DIAMOND);
                raw.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            }
        });
        line(chart, "perfect", new double[] {0, 1}, new double[] {0, 1});
        return png(chart);
    }

    private static XYSeries reliabilityLine(XYChart chart, String name, List<Calibration.Bin> bins) {
        List<Calibration.Bin> filled = bins.stream().filter(b -> b.count() > 0).toList();
        return chart.addSeries(name, filled.stream().mapToDouble(Calibration.Bin::meanPredicted).toArray(),
                filled.stream().mapToDouble(Calibration.Bin::observed).toArray());
    }

    /** Slices in a grid with "pred p / true t" captions; mistakes captioned and framed in red. */
    public static byte[] resultsGrid(List<GridItem> items, int columns) {
        return grid(items.stream().map(GridItem::image).toList(), items.stream().map(GridItem::captions).toList(),
                items.stream().map(GridItem::mistake).toList(), columns);
    }

    /**
     * A Grad-CAM overlay of a validation slice ({@code dev.ich.model.explain.HeatmapOverlay}) for {@link #heatmapGrid}:
     * the output it explains, with that output's prediction and truth.
     */
    public record HeatmapItem(BufferedImage overlay, String label, float probability, float target) {
        public boolean mistake() {
            return (probability >= 0.5f) != (target >= 0.5f);
        }

        public List<String> captions() {
            return List.of(label + (mistake() ? " (mistake)" : ""),
                    String.format(Locale.ROOT, "pred %.2f / true %d", probability, Math.round(target)));
        }
    }

    /** Overlays in a grid captioned with the label each explains; mistakes framed in red, as in {@link #resultsGrid}. */
    public static byte[] heatmapGrid(List<HeatmapItem> items, int columns) {
        return grid(items.stream().map(HeatmapItem::overlay).toList(), items.stream().map(HeatmapItem::captions).toList(),
                items.stream().map(HeatmapItem::mistake).toList(), columns);
    }

    private static byte[] grid(List<BufferedImage> images, List<List<String>> captions, List<Boolean> mistakes, int columns) {
        if (images.isEmpty() || columns < 1) throw new IllegalArgumentException("need items and columns >= 1");
        int cell = 192;
        int lineHeight = 16;
        int lines = captions.stream().mapToInt(List::size).max().orElse(1);
        int cellHeight = cell + lines * lineHeight + 8;
        int rows = (images.size() + columns - 1) / columns;
        BufferedImage grid = new BufferedImage(columns * cell, rows * cellHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i < images.size(); i++) {
                int x = (i % columns) * cell;
                int y = (i / columns) * cellHeight;
                g.drawImage(images.get(i), x + 4, y + 4, cell - 8, cell - 8, null);
                boolean wrong = mistakes.get(i);
                if (wrong) {
                    g.setColor(MISTAKE);
                    g.setStroke(new BasicStroke(4));
                    g.drawRect(x + 2, y + 2, cell - 4, cell - 4);
                }
                g.setColor(wrong ? MISTAKE : Color.BLACK);
                List<String> text = captions.get(i);
                for (int l = 0; l < text.size(); l++) g.drawString(text.get(l), x + 6, y + cell + (l + 1) * lineHeight);
            }
        } finally {
            g.dispose();
        }
        return png(grid);
    }

    /** Exponential moving average with bias correction (as the LR finder). */
    static double[] smooth(List<Double> values, double beta) {
        double[] out = new double[values.size()];
        double average = 0;
        for (int i = 0; i < out.length; i++) {
            average = beta * average + (1 - beta) * values.get(i);
            out[i] = average / (1 - Math.pow(beta, i + 1));
        }
        return out;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        return chart;
    }

    private static void line(XYChart chart, String name, double[] x, double[] y) {
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }

    static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any figure as PNG bytes: the charts' encoding, and the one the Grad-CAM overlays use too. */
    public static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
