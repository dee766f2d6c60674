package dev.ich.labeling.report;

import dev.ich.core.clean.Windows;
import dev.ich.core.html.HtmlPages;
import dev.ich.labeling.exploration.Exploration.ColumnNulls;
import dev.ich.labeling.exploration.Exploration.SampleSlice;
import dev.ich.labeling.exploration.Exploration;
import dev.ich.labeling.drift.PredictionDrift;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The exploration as one self-contained HTML page ({@code GET /exploration/report}, from
 * {@code templates/exploration-report.html}): inline CSS, charts inlined as PNG data URLs, no JavaScript; only the
 * sample slices are fetched, from the service's own slice images.
 */
public final class ExplorationReport {

    /** Where slice images are, relative to the page: the page is {@code /exploration/report}, images {@code /slices/...}. */
    public static final String SLICE_BASE = "../slices/";
    /** Edge of the sample pictures in pixels. */
    public static final int SAMPLE_SIZE = 160;

    static final String NULLS_CAPTION = "Columns empty for every slice (StudyID) carry nothing; columns null for about "
            + "half the slices (the second window values) hint at a mix of sources.";
    static final String TARGET_CAPTION = "How rare positives are: the imbalance decides weighting and sampling; "
            + "unlabeled slices cannot be trained on.";
    static final String SUBTYPES_CAPTION = "Rare subtypes (epidural) get few examples: watch their per-label scores.";
    static final String BITS_CAPTION = "12 vs 16 bits hints at different scanners/sources; signed vs unsigned changes "
            + "how raw values map to Hounsfield units.";
    static final String DRIFT_CAPTION = "Inference's calls joined with these labels by SOP Instance UID: a call rate that moves"
            + " away from the observed rate, or differs between subgroups, is drift to look into.";
    static final String PCT_CAPTION = "Slices left of the dashed line are dropped (too little brain in the window): "
            + "few positives should sit there.";

    private ExplorationReport() {
    }

    /** Where a sample's picture comes from: a URL, or the picture itself as a data URI. */
    @FunctionalInterface
    public interface SliceImageSource {
        String src(String uid, String window);
    }

    /** The page with slice images linked under {@link #SLICE_BASE}. */
    public static String html(Exploration e) {
        return html(e, SLICE_BASE);
    }

    /** @param sliceBase prefix of slice image URLs, ending in '/', e.g. "../slices/" */
    public static String html(Exploration e, String sliceBase) {
        return html(e, (uid, window) -> sliceBase + pathSegment(uid) + "/image?window=" + pathSegment(window) + "&size=" + SAMPLE_SIZE);
    }

    /** The page with every picture from {@code images}: the service embeds them, so the page needs no further request. */
    public static String html(Exploration e, SliceImageSource images) {
        String pct = PCT_CAPTION + (e.labelsVersion() == null ? " No labels yet: the share of positives per bin is not drawn." : "");
        List<String> windows = e.windows() == null ? List.of() : e.windows();
        List<Figure> samples = e.samples() == null || windows.isEmpty() ? List.of() : e.samples().stream()
                .map(s -> figure(s, windows, images)).toList();
        List<Figure> dropped = e.droppedSlices() == null ? List.of() : e.droppedSlices().stream()
                .map(s -> figure(s, List.of(Windows.BRAIN.name()), images)).toList();
        return HtmlPages.render("exploration-report.html", Map.of("page", new Page(
                List.of(new Row("slices", String.valueOf(e.slices())), new Row("kept", String.valueOf(e.kept())),
                        new Row("dropped (img_pct_window below threshold)", String.valueOf(e.dropped())),
                        new Row("unreadable", String.valueOf(e.unreadable())), new Row("labeled", String.valueOf(e.labeled())),
                        new Row("labels version", e.labelsVersion() == null ? "none uploaded yet" : e.labelsVersion().toString())),
                chart("Nulls per column", ExplorationCharts.nulls(e), "share of nulls per column", NULLS_CAPTION),
                ExplorationCharts.nullColumnsNotShown(e),
                e.nulls() == null ? List.of() : e.nulls().stream().filter(ColumnNulls::nearlyAllNull)
                        .map(c -> new NullColumn(c.column(), c.nulls(), String.format(Locale.ROOT, "%.1f%%", c.share() * 100))).toList(),
                List.of(chart("Target balance", ExplorationCharts.target(e), "target balance", TARGET_CAPTION),
                        chart("Subtypes", ExplorationCharts.subtypes(e), "positives per subtype", SUBTYPES_CAPTION),
                        chart("BitsStored and PixelRepresentation", ExplorationCharts.bits(e),
                                "slices per BitsStored and PixelRepresentation", BITS_CAPTION),
                        chart("img_pct_window", ExplorationCharts.pctWindow(e), "img_pct_window histogram", pct)),
                String.join(", ", windows), samples, dropped, SAMPLE_SIZE, drift(e.drift()))));
    }

    /** The drift table as the page prints it: rates as percentages, "n/a" where a rate has no denominator. */
    static Drift drift(PredictionDrift d) {
        if (d == null) return new Drift("any", 0, List.of(), DRIFT_CAPTION);
        return new Drift(d.label(), d.predictions(), d.cells().stream().map(c -> new DriftRow(c.model() + " " + c.version(), c.week(),
                c.subgroup(), c.group(), c.predictions(), percent(c.callRate()), c.labeled(), percent(c.observedRate()),
                percent(c.sensitivity()), percent(c.specificity()))).toList(), DRIFT_CAPTION);
    }

    private static String percent(Double rate) {
        return rate == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    /** What the template shows: every number already as text, every picture with its source. */
    public record Page(List<Row> summary, Chart nulls, int nullColumnsNotShown, List<NullColumn> nearlyAllNull, List<Chart> charts,
                       String windows, List<Figure> samples, List<Figure> dropped, int size, Drift drift) {
    }

    /** The drift section: {@code predictions} records kept, one row per model version, week and subgroup. */
    public record Drift(String label, long predictions, List<DriftRow> rows, String caption) {
    }

    public record DriftRow(String model, String week, String subgroup, String group, long predictions, String callRate, long labeled,
                           String observedRate, String sensitivity, String specificity) {
    }

    public record Row(String name, String value) {
    }

    /** A chart under its heading: the PNG in base64, its alternative text and caption. */
    public record Chart(String heading, String png, String alt, String caption) {
    }

    public record NullColumn(String column, long nulls, String share) {
    }

    /** A slice in the given windows; {@code pctWindow} as the page prints it. */
    public record Figure(String uid, String caption, String pctWindow, List<Picture> pictures) {
    }

    public record Picture(String window, String src) {
    }

    private static Chart chart(String heading, byte[] png, String alt, String caption) {
        return new Chart(heading, Base64.getEncoder().encodeToString(png), alt, caption);
    }

    private static Figure figure(SampleSlice s, List<String> windows, SliceImageSource images) {
        return new Figure(s.uid(), s.caption(), s.pctWindow() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", s.pctWindow()),
                windows.stream().map(w -> new Picture(w, images.src(s.uid(), w))).toList());
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters: UIDs are digits and dots, but data is data. */
    static String pathSegment(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : String.valueOf(s).getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xFF));
            }
        }
        return out.toString();
    }
}
