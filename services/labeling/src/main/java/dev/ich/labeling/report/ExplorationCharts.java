package dev.ich.labeling.report;

import dev.ich.labeling.exploration.Exploration;
import dev.ich.labeling.exploration.Exploration.Bin;
import dev.ich.labeling.exploration.Exploration.BitsCount;
import dev.ich.labeling.exploration.Exploration.ColumnNulls;
import dev.ich.labeling.exploration.Exploration.PctHistogram;
import dev.ich.labeling.exploration.Exploration.Target;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The exploration's figures (docs/reference-experiment.md, "Exploration") as PNG bytes, drawn on the server with XChart. Every method
 * takes the whole {@link Exploration} so it can say "no slices yet" or "no labels yet" instead of failing on an empty
 * table.
 */
public final class ExplorationCharts {

    static {
        // The service runs without a display: AWT must never look for one (an X11 lookup throws HeadlessException
        // or hangs). This only takes effect before the first AWT use in the JVM, hence a static initialiser here.
        System.setProperty("java.awt.headless", "true");
    }

    public static final int WIDTH = 1100;
    public static final int HEIGHT = 420;
    /** The nulls chart is taller: its ~60 column names stand rotated under the bars. */
    public static final int NULLS_HEIGHT = 560;
    /** Columns drawn in the nulls chart at most (most nulls first); the report names how many more have nulls. */
    public static final int MAX_NULL_COLUMNS = 60;

    static final Color POSITIVE = new Color(0xC0392B);
    static final Color NEGATIVE = new Color(0x2E86C1);
    static final Color UNLABELED = new Color(0x95A5A6);
    static final Color BARS = new Color(0x5D6D7E);
    static final Color NEARLY_ALL_NULL = new Color(0xD35400);
    static final Color THRESHOLD = new Color(0x8E44AD);

    private ExplorationCharts() {
    }

    /** Columns with nulls, most first, up to {@link #MAX_NULL_COLUMNS}; nearly-all-null ones in their own colour. */
    public static byte[] nulls(Exploration e) {
        if (e.slices() == 0) {
            return placeholder("Nulls per column", "no slices yet", WIDTH, NULLS_HEIGHT);
        }
        List<ColumnNulls> shown = withNulls(e).stream().limit(MAX_NULL_COLUMNS).toList();
        if (shown.isEmpty()) {
            return placeholder("Nulls per column", "no column has nulls", WIDTH, NULLS_HEIGHT);
        }
        CategoryChart chart = categoryChart("Share of nulls per column (columns without nulls left out)",
                "column", "share of slices", WIDTH, NULLS_HEIGHT);
        chart.getStyler().setOverlapped(true)
                .setXAxisLabelRotation(60)
                .setYAxisMin(0.0).setYAxisMax(1.0)
                .setYAxisDecimalPattern("0%")
                .setLegendPosition(Styler.LegendPosition.InsideNE);
        List<String> columns = shown.stream().map(ColumnNulls::column).toList();
        List<Double> some = shown.stream().map(c -> c.nearlyAllNull() ? 0.0 : c.share()).toList();
        List<Double> nearly = shown.stream().map(c -> c.nearlyAllNull() ? c.share() : 0.0).toList();
        chart.addSeries("some nulls", columns, some).setFillColor(BARS);
        chart.addSeries(String.format(Locale.ROOT, "nearly all null (>= %.0f%%)", Exploration.NEARLY_ALL_NULL * 100),
                columns, nearly).setFillColor(NEARLY_ALL_NULL);
        return png(chart);
    }

    /** How many columns have nulls but did not fit in {@link #nulls}. */
    public static int nullColumnsNotShown(Exploration e) {
        return Math.max(0, withNulls(e).size() - MAX_NULL_COLUMNS);
    }

    /** Positives, negatives and unlabeled slices of the {@code any} target. */
    public static byte[] target(Exploration e) {
        if (e.slices() == 0) {
            return placeholder("Target balance", "no slices yet", WIDTH, HEIGHT);
        }
        Target t = e.target() == null ? new Target(0, 0, e.slices()) : e.target();
        String title = e.labelsVersion() == null ? "Target balance (any): no labels uploaded yet"
                : "Target balance (any), labels version " + e.labelsVersion();
        CategoryChart chart = categoryChart(title, "", "slices", WIDTH, HEIGHT);
        // One series per bar for its own colour; counts go in the category names, since value labels would also
        // print the zeros of the overlapped series.
        chart.getStyler().setOverlapped(true).setLegendVisible(false);
        long labeled = t.positives() + t.negatives();
        List<String> names = List.of(
                String.format(Locale.ROOT, "positives: %,d (%s of labeled)", t.positives(), percent(t.positives(), labeled)),
                String.format(Locale.ROOT, "negatives: %,d (%s of labeled)", t.negatives(), percent(t.negatives(), labeled)),
                String.format(Locale.ROOT, "unlabeled: %,d", t.unlabeled()));
        chart.addSeries("positives", names, List.of(t.positives(), 0L, 0L)).setFillColor(POSITIVE);
        chart.addSeries("negatives", names, List.of(0L, t.negatives(), 0L)).setFillColor(NEGATIVE);
        chart.addSeries("unlabeled", names, List.of(0L, 0L, t.unlabeled())).setFillColor(UNLABELED);
        return png(chart);
    }

    /** Positive slices per label, {@code any} included. */
    public static byte[] subtypes(Exploration e) {
        if (e.slices() == 0) {
            return placeholder("Positives per subtype", "no slices yet", WIDTH, HEIGHT);
        }
        if (e.subtypes() == null || e.subtypes().isEmpty()) {
            return placeholder("Positives per subtype", "no labels uploaded yet", WIDTH, HEIGHT);
        }
        CategoryChart chart = categoryChart("Positive slices per label", "", "slices", WIDTH, HEIGHT);
        chart.getStyler().setLabelsVisible(true).setLegendVisible(false);
        CategorySeries series = chart.addSeries("positives", new ArrayList<>(e.subtypes().keySet()),
                new ArrayList<>(e.subtypes().values()));
        series.setFillColor(POSITIVE);
        return png(chart);
    }

    /** Slices per (BitsStored, PixelRepresentation), e.g. "12 bit / unsigned". */
    public static byte[] bits(Exploration e) {
        if (e.slices() == 0) {
            return placeholder("BitsStored / PixelRepresentation", "no slices yet", WIDTH, HEIGHT);
        }
        if (e.bits() == null || e.bits().isEmpty()) {
            return placeholder("BitsStored / PixelRepresentation", "no BitsStored values", WIDTH, HEIGHT);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (BitsCount b : e.bits()) {
            counts.merge(bitsLabel(b), b.slices(), Long::sum);
        }
        CategoryChart chart = categoryChart("Slices per BitsStored / PixelRepresentation", "", "slices", WIDTH, HEIGHT);
        chart.getStyler().setLabelsVisible(true).setLegendVisible(false);
        chart.addSeries("slices", new ArrayList<>(counts.keySet()), new ArrayList<>(counts.values())).setFillColor(BARS);
        return png(chart);
    }

    /** "12 bit / unsigned"; "unknown" for the missing values of unreadable rows. */
    static String bitsLabel(BitsCount b) {
        return dev.ich.core.dataset.SampleMetadata.pixels(b.bitsStored() == null ? null : b.bitsStored().intValue(),
                b.pixelRepresentation() == null ? null : b.pixelRepresentation().intValue());
    }

    /**
     * Slice counts per img_pct_window bin as bars, the drop threshold as a vertical line, and (when labels exist) the
     * share of positives per bin on a second axis at the right.
     */
    public static byte[] pctWindow(Exploration e) {
        PctHistogram h = e.pctWindow();
        if (e.slices() == 0 || h == null || h.bins() == null || h.bins().isEmpty()) {
            return placeholder("img_pct_window", "no slices yet", WIDTH, HEIGHT);
        }
        boolean labels = h.bins().stream().anyMatch(b -> b.labeled() > 0);
        String title = "img_pct_window: slices per bin" + (labels ? " and share of positives"
                : " (no labels: share of positives not drawn)");
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle("img_pct_window (share of pixels inside the brain window)");
        chart.setYAxisGroupTitle(0, "slices");
        style(chart.getStyler());
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0)
                .setYAxisMin(0, 0.0)
                .setLegendPosition(Styler.LegendPosition.InsideNE)
                .setMarkerSize(5);

        // Bars as one filled outline: up, across and down at every bin's edges, inset a little so bins stay apart.
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        long max = 0;
        for (Bin b : h.bins()) {
            double inset = (b.to() - b.from()) * 0.08;
            xs.addAll(List.of(b.from() + inset, b.from() + inset, b.to() - inset, b.to() - inset));
            ys.addAll(List.of(0.0, (double) b.slices(), (double) b.slices(), 0.0));
            max = Math.max(max, b.slices());
        }
        XYSeries bars = chart.addSeries("slices", xs, ys);
        bars.setXYSeriesRenderStyle(XYSeriesRenderStyle.Area);
        bars.setMarker(SeriesMarkers.NONE);
        bars.setFillColor(BARS);
        bars.setLineColor(BARS);
        bars.setLineWidth(0.5f);

        double top = Math.max(1, max) * 1.05;
        XYSeries marker = chart.addSeries(
                String.format(Locale.ROOT, "drop below %s", trim(h.threshold())),
                List.of(h.threshold(), h.threshold()), List.of(0.0, top));
        marker.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        marker.setMarker(SeriesMarkers.NONE);
        marker.setLineColor(THRESHOLD);
        marker.setLineWidth(2.5f);
        marker.setLineStyle(new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        chart.getStyler().setYAxisMax(0, top);

        if (labels) {
            List<Double> mids = new ArrayList<>();
            List<Double> shares = new ArrayList<>();
            for (Bin b : h.bins()) {
                if (!Double.isNaN(b.positiveShare())) {
                    mids.add((b.from() + b.to()) / 2);
                    shares.add(b.positiveShare());
                }
            }
            XYSeries share = chart.addSeries("share of positives (right axis)", mids, shares);
            share.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            share.setYAxisGroup(1);
            share.setMarker(SeriesMarkers.CIRCLE);
            share.setLineColor(POSITIVE);
            share.setMarkerColor(POSITIVE);
            chart.setYAxisGroupTitle(1, "share of positives");
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            chart.getStyler().setYAxisMin(1, 0.0).setYAxisMax(1, 1.0);
            chart.getStyler().putYAxisGroupDecimalPatternMap(1, "0%");
        }
        return png(chart);
    }

    private static List<ColumnNulls> withNulls(Exploration e) {
        if (e.nulls() == null) {
            return List.of();
        }
        return e.nulls().stream().filter(c -> c.nulls() > 0)
                .sorted((a, b) -> Long.compare(b.nulls(), a.nulls())).toList();
    }

    private static CategoryChart categoryChart(String title, String xTitle, String yTitle, int width, int height) {
        CategoryChart chart = new CategoryChart(width, height);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        style(chart.getStyler());
        chart.getStyler().setAvailableSpaceFill(0.7).setYAxisMin(0.0);
        return chart;
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE)
                .setPlotBackgroundColor(Color.WHITE)
                .setPlotBorderVisible(false)
                .setChartTitleBoxVisible(false)
                .setLegendBorderColor(new Color(0xDDDDDD))
                .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16))
                .setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11))
                .setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12))
                .setPlotGridLinesColor(new Color(0xE5E8E8))
                .setAntiAlias(true);
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
        } catch (IOException ex) {
            throw new UncheckedIOException("could not encode chart " + chart.getTitle(), ex);
        }
    }

    /** A chart-sized picture with a title and a message, for figures that have nothing to draw yet. */
    static byte[] placeholder(String title, String message, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(new Color(0xDDDDDD));
            g.drawRect(0, 0, width - 1, height - 1);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, (width - fm.stringWidth(title)) / 2, 30);
            g.setColor(Color.GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 22));
            fm = g.getFontMetrics();
            g.drawString(message, (width - fm.stringWidth(message)) / 2, height / 2);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
