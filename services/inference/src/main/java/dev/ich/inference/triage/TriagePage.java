package dev.ich.inference.triage;

import dev.ich.inference.triage.TriageResource.Entry;
import dev.ich.inference.triage.TriageResource.KeySliceEntry;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The worklist as one self-contained HTML page: a row per study, flagged first, the key slices with their heatmaps. */
final class TriagePage {
    /** Turns (study, key slice, picture kind) into a data URI, or null when the picture is missing. */
    interface Pictures {
        String inline(String study, KeySliceEntry slice, String kind);
    }

    private TriagePage() {
    }

    static String html(List<Entry> entries, Pictures pictures) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ich triage worklist</title><style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;width:100%}")
                .append("th,td{border-bottom:1px solid #ddd;padding:.5em;text-align:left;vertical-align:top}")
                .append("tr.flagged td:first-child{border-left:6px solid #c62828}tr.clear td:first-child{border-left:6px solid #2e7d32}")
                .append("tr.untriaged td:first-child{border-left:6px solid #9e9e9e}.call{font-weight:600}.flag{color:#c62828}")
                .append(".uid{font-family:monospace;font-size:12px}figure{display:inline-block;margin:0 .5em .5em 0}")
                .append("figcaption{font-size:12px;color:#555}img{width:128px;height:128px;image-rendering:pixelated}")
                .append("</style></head><body><h1>Triage worklist</h1>");
        long flagged = entries.stream().filter(Entry::flagged).count();
        long triaged = entries.stream().filter(e -> "predicted".equals(e.outcome())).count();
        h.append("<p>").append(entries.size()).append(" studies listed, ").append(triaged).append(" triaged, ").append(flagged)
                .append(" flagged: a label at or above the")
                .append(" model's operating-point threshold. Results are <strong>unverified</strong> until a radiologist reads the study.</p>");
        if (entries.isEmpty()) {
            h.append("<p id=\"empty\">No study has been triaged yet: studies arrive through the DICOM door (C-STORE or STOW-RS)"
                    + " and are triaged once no new instance came for the stable age.</p>");
        } else {
            h.append("<table><thead><tr><th>Study</th><th>p(any)</th><th>Call at the operating point</th><th>Key slices</th>")
                    .append("<th>Model</th></tr></thead><tbody>");
            for (Entry e : entries) row(h, e, pictures);
            h.append("</tbody></table>");
        }
        return h.append("</body></html>").toString();
    }

    private static void row(StringBuilder h, Entry e, Pictures pictures) {
        String css = !"predicted".equals(e.outcome()) ? "untriaged" : e.flagged() ? "flagged" : "clear";
        h.append("<tr class=\"").append(css).append("\" data-study=\"").append(esc(e.studyInstanceUid())).append("\">");
        h.append("<td><span class=\"uid\">").append(esc(e.studyInstanceUid())).append("</span><br>").append(esc(e.predictedAt()))
                .append("<br>").append(e.slicesKept()).append(" of ").append(e.slicesPredicted()).append(" slices kept</td>");
        h.append("<td>").append(e.probabilityAny() == null ? "&ndash;" : String.format(Locale.ROOT, "%.3f", e.probabilityAny())).append("</td><td>");
        if (!"predicted".equals(e.outcome())) {
            h.append("<span class=\"call\">not triaged (").append(esc(e.outcome())).append(")</span><br>").append(esc(e.reason()));
        } else {
            boolean any = false;
            for (Map.Entry<String, Boolean> c : e.positive().entrySet()) {
                if (!c.getValue()) continue;
                any = true;
                double t = e.operatingPoint().thresholds().get(c.getKey());
                h.append("<div class=\"call flag\">").append(esc(c.getKey())).append(String.format(Locale.ROOT, ": %.3f &ge; %.3f",
                        e.probabilities().get(c.getKey()), t)).append("</div>");
            }
            if (!any) h.append("<span class=\"call\">no label at or above its threshold</span>");
        }
        h.append("</td><td>");
        for (KeySliceEntry k : e.keySlices()) {
            for (String kind : List.of(TriagePictures.SLICE, TriagePictures.HEATMAP)) {
                String uri = pictures.inline(e.studyInstanceUid(), k, kind);
                if (uri == null) continue;
                h.append("<figure><img alt=\"").append(esc(kind + " of " + k.sopInstanceUid())).append("\" src=\"").append(uri)
                        .append("\"><figcaption>").append(esc(k.label())).append(String.format(Locale.ROOT, " %.3f", k.probability()))
                        .append(" &middot; ").append(kind).append("</figcaption></figure>");
            }
        }
        h.append("</td><td>").append(e.model() == null ? "&ndash;" : esc(e.model().name() + " " + e.model().version())).append("</td></tr>");
    }

    static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
