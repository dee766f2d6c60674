package dev.ich.labeling.report;

import dev.ich.core.clean.Windows;
import dev.ich.labeling.exploration.Exploration.ColumnNulls;
import dev.ich.labeling.exploration.Exploration.SampleSlice;
import dev.ich.labeling.exploration.Exploration;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The exploration as one self-contained HTML page ({@code GET /exploration/report}): inline CSS, charts inlined as
 * PNG data URLs, no JavaScript; only the sample slices are fetched, from the service's own slice images.
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
    static final String PCT_CAPTION = "Slices left of the dashed line are dropped (too little brain in the window): "
            + "few positives should sit there.";

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"DejaVu Sans",Arial,sans-serif;color:#222;margin:0;background:#fff}
            main{width:1200px;margin:0 auto;padding:16px 24px;box-sizing:border-box}
            h1{font-size:26px;margin:8px 0 4px}h2{font-size:19px;margin:28px 0 6px;border-bottom:1px solid #ddd;padding-bottom:4px}
            p.caption{color:#555;margin:4px 0 10px;font-size:14px}p.note{color:#8a4b00;font-size:14px}
            table{border-collapse:collapse;font-size:14px}td,th{border:1px solid #ddd;padding:4px 10px;text-align:left}
            th{background:#f4f6f7}td.n{text-align:right;font-variant-numeric:tabular-nums}
            img.chart{display:block;width:1100px;max-width:100%;border:1px solid #eee}
            .grid{display:flex;flex-wrap:wrap;gap:14px}
            figure{margin:0;padding:6px;border:1px solid #e5e5e5;background:#fafafa}
            figure .row{display:flex;gap:4px}figure img{width:160px;height:160px;background:#000;display:block}
            figure .w{font-size:11px;color:#777;text-align:center}
            figcaption{font-size:13px;margin-top:4px;max-width:500px;overflow-wrap:anywhere}
            .dropped figcaption{width:160px}
            """;

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
        StringBuilder h = new StringBuilder(512 * 1024);
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>ich exploration</title><style>").append(CSS).append("</style></head><body><main>\n");
        h.append("<h1>Exploration of the metadata table</h1>\n");
        summary(h, e);

        h.append("<h2>Nulls per column</h2>\n");
        chart(h, ExplorationCharts.nulls(e), "share of nulls per column", NULLS_CAPTION);
        int more = ExplorationCharts.nullColumnsNotShown(e);
        if (more > 0) {
            h.append("<p class=\"note\">").append(more).append(" more columns with nulls not shown.</p>\n");
        }
        nearlyAllNull(h, e);

        h.append("<h2>Target balance</h2>\n");
        chart(h, ExplorationCharts.target(e), "target balance", TARGET_CAPTION);
        h.append("<h2>Subtypes</h2>\n");
        chart(h, ExplorationCharts.subtypes(e), "positives per subtype", SUBTYPES_CAPTION);
        h.append("<h2>BitsStored and PixelRepresentation</h2>\n");
        chart(h, ExplorationCharts.bits(e), "slices per BitsStored and PixelRepresentation", BITS_CAPTION);
        h.append("<h2>img_pct_window</h2>\n");
        String pct = PCT_CAPTION + (e.labelsVersion() == null
                ? " No labels yet: the share of positives per bin is not drawn." : "");
        chart(h, ExplorationCharts.pctWindow(e), "img_pct_window histogram", pct);

        samples(h, e, images);
        dropped(h, e, images);
        h.append("</main></body></html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, Exploration e) {
        h.append("<table class=\"summary\">\n");
        row(h, "slices", e.slices());
        row(h, "kept", e.kept());
        row(h, "dropped (img_pct_window below threshold)", e.dropped());
        row(h, "unreadable", e.unreadable());
        row(h, "labeled", e.labeled());
        h.append("<tr><th>labels version</th><td class=\"n\">")
                .append(e.labelsVersion() == null ? "none uploaded yet" : e.labelsVersion().toString())
                .append("</td></tr>\n</table>\n");
    }

    private static void row(StringBuilder h, String name, long value) {
        h.append("<tr><th>").append(escape(name)).append("</th><td class=\"n\">").append(value).append("</td></tr>\n");
    }

    private static void chart(StringBuilder h, byte[] png, String alt, String caption) {
        h.append("<img class=\"chart\" alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n")
                .append("<p class=\"caption\">").append(escape(caption)).append("</p>\n");
    }

    private static void nearlyAllNull(StringBuilder h, Exploration e) {
        List<ColumnNulls> columns = e.nulls() == null ? List.of()
                : e.nulls().stream().filter(ColumnNulls::nearlyAllNull).toList();
        h.append("<h2>Columns nearly all null</h2>\n");
        if (columns.isEmpty()) {
            h.append("<p class=\"caption\">No column is nearly all null.</p>\n");
            return;
        }
        h.append("<table class=\"nearly-null\"><tr><th>column</th><th>nulls</th><th>share</th></tr>\n");
        for (ColumnNulls c : columns) {
            h.append("<tr><td>").append(escape(c.column())).append("</td><td class=\"n\">").append(c.nulls())
                    .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%.1f%%", c.share() * 100))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void samples(StringBuilder h, Exploration e, SliceImageSource images) {
        h.append("<h2>Sample slices in every window</h2>\n");
        List<String> windows = e.windows() == null ? List.of() : e.windows();
        if (e.samples() == null || e.samples().isEmpty() || windows.isEmpty()) {
            h.append("<p class=\"caption\">No slices yet.</p>\n");
            return;
        }
        h.append("<p class=\"caption\">The same slice in ").append(escape(String.join(", ", windows)))
                .append(": each window shows other tissue.</p>\n<div class=\"grid samples\">\n");
        for (SampleSlice s : e.samples()) {
            h.append("<figure><div class=\"row\">");
            for (String w : windows) {
                h.append("<div>");
                image(h, images, s, w);
                h.append("<div class=\"w\">").append(escape(w)).append("</div></div>");
            }
            h.append("</div><figcaption>").append(escape(s.caption())).append("</figcaption></figure>\n");
        }
        h.append("</div>\n");
    }

    private static void dropped(StringBuilder h, Exploration e, SliceImageSource images) {
        h.append("<h2>Dropped slices</h2>\n");
        if (e.droppedSlices() == null || e.droppedSlices().isEmpty()) {
            h.append("<p class=\"caption\">No dropped slices.</p>\n");
            return;
        }
        h.append("<p class=\"caption\">In the brain window: what the img_pct_window rule throws away.</p>\n")
                .append("<div class=\"grid dropped\">\n");
        for (SampleSlice s : e.droppedSlices()) {
            h.append("<figure>");
            image(h, images, s, Windows.BRAIN.name());
            h.append("<figcaption>").append(escape(s.caption())).append("<br>img_pct_window ")
                    .append(s.pctWindow() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", s.pctWindow()))
                    .append("</figcaption></figure>\n");
        }
        h.append("</div>\n");
    }

    private static void image(StringBuilder h, SliceImageSource images, SampleSlice s, String window) {
        String src = images.src(s.uid(), window);
        h.append("<img loading=\"lazy\" width=\"").append(SAMPLE_SIZE).append("\" height=\"").append(SAMPLE_SIZE)
                .append("\" alt=\"").append(escape(window)).append("\" title=\"").append(escape(s.uid()))
                .append("\" src=\"").append(escape(src)).append("\">");
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

    /** HTML-escapes text from the data (column names, captions, UIDs) for element content and quoted attributes. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
