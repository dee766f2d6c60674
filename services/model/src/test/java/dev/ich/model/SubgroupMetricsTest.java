package dev.ich.model;

import dev.ich.core.dataset.SampleMetadata;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Given eight hand-made predictions on two scanners, half of them with a recorded sex, each group's figures are what a hand count gives. */
class SubgroupMetricsTest {
    private static final String TWELVE = "12 bit / unsigned";
    private static final String SIXTEEN = "16 bit / signed";

    @Test
    void eachGroupIsCountedAtTheModelsThreshold() {
        List<String> uids = List.of("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8");
        float[] p = {0.9f, 0.2f, 0.7f, 0.4f, 0.6f, 0.3f, 0.8f, 0.1f};
        float[] y = {1, 0, 1, 0, 0, 1, 1, 0};
        Predictions predictions = new Predictions(uids, p, y, 1);
        Map<String, Map<String, String>> metadata = Map.of(
                "1.1", Map.of(SampleMetadata.PIXELS, TWELVE, SampleMetadata.SEX, "F"),
                "1.2", Map.of(SampleMetadata.PIXELS, TWELVE, SampleMetadata.SEX, "F"),
                "1.3", Map.of(SampleMetadata.PIXELS, TWELVE), "1.4", Map.of(SampleMetadata.PIXELS, TWELVE),
                "1.5", Map.of(SampleMetadata.PIXELS, SIXTEEN), "1.6", Map.of(SampleMetadata.PIXELS, SIXTEEN),
                "1.7", Map.of(SampleMetadata.PIXELS, SIXTEEN), "1.8", Map.of(SampleMetadata.PIXELS, SIXTEEN));
        Map<String, OperatingPoints.Point> points = Map.of("any", OperatingPoints.at(p, y, 0.5, "chosen elsewhere"));

        List<SubgroupMetrics.Row> rows = SubgroupMetrics.of(predictions, metadata, points);

        assertThat(rows).extracting(r -> r.key() + "=" + r.value())
                .containsExactly("pixels=12 bit / unsigned", "pixels=16 bit / signed", "sex=F", "sex=not recorded");
        SubgroupMetrics.Row twelve = rows.get(0);
        assertThat(twelve.count()).isEqualTo(4);
        assertThat(twelve.positives()).isEqualTo(2);
        assertThat(twelve.auc()).isEqualTo(1.0);
        assertThat(twelve.point().sensitivity()).isEqualTo(1.0);
        assertThat(twelve.point().specificity()).isEqualTo(1.0);
        SubgroupMetrics.Row sixteen = rows.get(1);
        // positives score 0.3 and 0.8, negatives 0.6 and 0.1: 3 of the 4 pairs ordered right; at 0.5 one of each class wrong
        assertThat(sixteen.auc()).isCloseTo(0.75, within(1e-9));
        assertThat(sixteen.point().sensitivity()).isEqualTo(0.5);
        assertThat(sixteen.point().specificity()).isEqualTo(0.5);
        assertThat(sixteen.point().sensitivityCi()[0]).isLessThan(0.5);
        assertThat(sixteen.point().sensitivityCi()[1]).isGreaterThan(0.5);
        assertThat(rows.get(3).count()).as("slices without a sex").isEqualTo(6);

        Map<String, Object> json = SubgroupMetrics.json(rows);
        @SuppressWarnings("unchecked")
        Map<String, Object> female = (Map<String, Object>) ((Map<String, Object>) json.get("sex")).get("F");
        assertThat(female).containsEntry("count", 2);
        @SuppressWarnings("unchecked")
        Map<String, Object> any = (Map<String, Object>) ((Map<String, Object>) female.get("labels")).get("any");
        assertThat(any).containsEntry("positives", 1).containsEntry("auc", 1.0).containsEntry("threshold", 0.5)
                .containsEntry("sensitivity", 1.0).containsEntry("specificity", 1.0).containsKey("sensitivityCi95");
    }

    @Test
    void aGroupWithOneClassHasNoAucAndNoSpecificity() {
        Predictions predictions = new Predictions(List.of("2.1", "2.2"), new float[] {0.9f, 0.3f}, new float[] {1, 1}, 1);
        List<SubgroupMetrics.Row> rows = SubgroupMetrics.of(predictions, Map.of("2.1", Map.of(SampleMetadata.PIXELS, TWELVE),
                "2.2", Map.of(SampleMetadata.PIXELS, TWELVE)), Map.of());
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.auc()).isNull();
            assertThat(r.point().specificity()).isNull();
            assertThat(r.point().sensitivity()).as("0.5 without an operating point").isEqualTo(0.5);
        });
        assertThat(SubgroupMetrics.of(predictions, Map.of(), Map.of())).as("no metadata, no groups").isEmpty();
    }
}
