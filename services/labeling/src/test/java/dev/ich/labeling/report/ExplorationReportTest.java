package dev.ich.labeling.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ich.labeling.exploration.Exploration;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ExplorationReportTest {

    private static final Pattern DATA_PNG = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    @Test
    void aLabeledTableGivesAPageWithEveryChartInlinedAndItsCaption() throws IOException {
        String html = ExplorationReport.html(SyntheticExploration.labeled());

        Matcher m = DATA_PNG.matcher(html);
        int charts = 0;
        while (m.find()) {
            assertThat(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))))).isNotNull();
            charts++;
        }
        assertThat(charts).isEqualTo(5);
        assertThat(html).contains(ExplorationReport.BITS_CAPTION, ExplorationReport.PCT_CAPTION,
                ExplorationReport.SUBTYPES_CAPTION, ExplorationReport.TARGET_CAPTION);
        assertThat(html).contains("<th>slices</th><td class=\"n\">20000</td>", "<th>labels version</th><td class=\"n\">3</td>");
        // nothing fetched from elsewhere, nothing run
        assertThat(html).doesNotContain("<script", "http://", "https://", "<link");
    }

    @Test
    void columnsWithNullsBeyondTheChartAreCounted() {
        Exploration e = SyntheticExploration.labeled();
        long withNulls = e.nulls().stream().filter(c -> c.nulls() > 0).count();
        assertThat(withNulls).isGreaterThan(ExplorationCharts.MAX_NULL_COLUMNS);

        assertThat(ExplorationReport.html(e))
                .contains((withNulls - ExplorationCharts.MAX_NULL_COLUMNS) + " more columns with nulls not shown.");
    }

    @Test
    void nearlyAllNullColumnsAreListed() {
        String html = ExplorationReport.html(SyntheticExploration.labeled());
        String table = html.substring(html.indexOf("<table class=\"nearly-null\">"));
        table = table.substring(0, table.indexOf("</table>"));

        assertThat(table).contains("<td>StudyID</td><td class=\"n\">20000</td><td class=\"n\">100.0%</td>",
                "<td>PatientSex</td>");
        assertThat(table).doesNotContain("WindowCenter_1");
    }

    @Test
    void samplesShowEveryWindowFromTheSliceBaseAndDroppedSlicesTheBrainWindow() {
        Exploration e = SyntheticExploration.labeled();
        String html = ExplorationReport.html(e, "../slices/");

        String uid = e.samples().get(0).uid();
        for (String w : e.windows()) {
            assertThat(html).contains("src=\"../slices/" + uid + "/image?window=" + w + "&amp;size=160\"");
        }
        String dropped = html.substring(html.indexOf("<div class=\"grid dropped\">"));
        assertThat(dropped).contains("src=\"../slices/" + e.droppedSlices().get(0).uid() + "/image?window=brain&amp;size=160\"",
                "img_pct_window 0.0010");
        assertThat(dropped).doesNotContain("window=subdural");
        assertThat(html).contains("<figcaption>any, subdural</figcaption>");
    }

    @Test
    void textFromTheDataIsEscaped() {
        String html = ExplorationReport.html(SyntheticExploration.labeledWithCaption("<script>alert('x')</script> & co"));

        assertThat(html).doesNotContain("<script");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co");
    }

    @Test
    void uidsAreEncodedInImageUrls() {
        assertThat(ExplorationReport.pathSegment("1.2.3")).isEqualTo("1.2.3");
        assertThat(ExplorationReport.pathSegment("a b/c?d")).isEqualTo("a%20b%2Fc%3Fd");
    }

    @Test
    void anEmptyTableGivesAPageThatSaysThereIsNothingYet() {
        String html = ExplorationReport.html(SyntheticExploration.empty());

        assertThat(DATA_PNG.matcher(html).results().count()).isEqualTo(5);
        assertThat(html).contains("<th>slices</th><td class=\"n\">0</td>", "none uploaded yet", "No slices yet.",
                "No dropped slices.", "No column is nearly all null.");
        assertThat(html).doesNotContain("more columns with nulls");
    }

    @Test
    void withoutLabelsThePageSaysTheShareOfPositivesIsMissing() {
        String html = ExplorationReport.html(SyntheticExploration.unlabeled());

        assertThat(html).contains("No labels yet: the share of positives per bin is not drawn.");
    }
}
