package dev.ich.labeling.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ich.labeling.experiments.SyntheticHeaders.SIGNAL;
import static dev.ich.labeling.experiments.SyntheticHeaders.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MetadataBaselineTest {

    /** Fewer trees than the notebooks' 200 so the story runs in seconds; the verdicts do not depend on it. XGBoost's forest. */
    private final MetadataBaseline forest = MetadataBaseline.builder().setSeed(42).optTrees(50).build();

    @Test
    void aColumnThatDecidesBleedingIsFoundAndRankedFirst() {
        BaselineReport report = forest.run(table(2000, 5, true, false, 1));

        assertThat(report.trainSlices()).isEqualTo(1500);
        assertThat(report.validSlices()).isEqualTo(500);
        assertThat(report.features()).hasSize(6).contains(SIGNAL);
        assertThat(report.auc()).isGreaterThan(0.9);
        assertThat(report.majorityBaseline()).isBetween(0.6, 0.8);
        assertThat(report.accuracy()).isGreaterThan(report.majorityBaseline() + 0.1);
        assertThat(report.importances()).hasSize(6);
        assertThat(report.importances().get(0).feature()).isEqualTo(SIGNAL);
        assertThat(report.importances().get(0).aucDrop()).isGreaterThan(0.2);
        assertThat(report.importances().get(1).aucDrop()).isLessThan(0.05);
        assertThat(report.verdict()).startsWith("metadata alone predicts bleeding better than chance")
                .contains("top feature: " + SIGNAL);
    }

    @Test
    void columnsIndependentOfTheLabelScoreChance() {
        BaselineReport report = forest.run(table(2000, 5, false, false, 2));

        assertThat(report.auc()).isBetween(0.4, 0.6);
        assertThat(report.accuracy()).isCloseTo(report.majorityBaseline(), within(0.06));
        assertThat(report.verdict()).startsWith("metadata alone predicts bleeding no better than chance: AUC 0.");
    }

    @Test
    void theSeedsUnjoinedTablesMadeRealSignalLookLikeChance() {
        // Same header values, same labels; only the row order of the labels differs, as when the header table
        // and the label table were filtered separately and put side by side instead of joined on slice id.
        BaselineReport joined = forest.run(table(2000, 5, true, false, 3));
        BaselineReport unjoined = forest.run(table(2000, 5, true, true, 3));

        assertThat(joined.auc()).isGreaterThan(0.9);
        assertThat(unjoined.auc()).isBetween(0.4, 0.6);
        assertThat(unjoined.accuracy()).isCloseTo(unjoined.majorityBaseline(), within(0.06));
        assertThat(unjoined.verdict()).contains("no better than chance");
    }

    @Test
    void constantAndEmptyColumnsAreDroppedAndGapsFilledWithTheTrainMedian() {
        List<MetadataSample> samples = new ArrayList<>();
        for (MetadataSample s : table(400, 2, true, false, 4)) {
            Map<String, Double> f = new HashMap<>(s.features());
            f.put("RescaleSlope", 1.0);
            f.put("ContrastBolusAgent", null);
            f.put("noise0", samples.size() % 10 == 0 ? null : f.get("noise0"));
            samples.add(new MetadataSample(s.uid(), s.split(), f, s.positive()));
        }

        BaselineReport report = forest.run(samples);

        assertThat(report.features()).containsExactly(SIGNAL, "noise0", "noise1");
        assertThat(report.droppedFeatures()).containsOnlyKeys("ContrastBolusAgent", "RescaleSlope");
        assertThat(report.droppedFeatures().get("ContrastBolusAgent")).isEqualTo("missing in all 300 train slices");
        assertThat(report.droppedFeatures().get("RescaleSlope")).isEqualTo("constant in train (1.0)");
        assertThat(report.imputed()).singleElement().satisfies(i -> {
            assertThat(i.feature()).isEqualTo("noise0");
            assertThat(i.trainMissing()).isEqualTo(30);
            assertThat(i.validMissing()).isEqualTo(10);
        });
    }

    @Test
    void theSameSeedGivesTheSameReport() {
        List<MetadataSample> samples = table(1000, 4, true, false, 5);

        BaselineReport first = forest.run(samples);
        BaselineReport second = forest.run(samples);

        assertThat(second).usingRecursiveComparison().ignoringFields("trainSeconds").isEqualTo(first);
        assertThat(MetadataBaseline.builder().setSeed(43).optTrees(50).build().run(samples).importances())
                .isNotEqualTo(first.importances());
    }

    @Test
    void aWeakSignalInThreeOfThirtyHeaderColumnsIsFoundAndTheForestRepeatsItselfOnAnyThreadCount() {
        // the benchmark's rows, small: about half positive, three weakly informative columns, 2% of values missing
        List<MetadataSample> rows = BenchHeaders.rows(3000, 1000, 11);

        BaselineReport twoThreads = MetadataBaseline.builder().setSeed(7).optTrees(50).optThreads(2).build().run(rows);
        BaselineReport oneThread = MetadataBaseline.builder().setSeed(7).optTrees(50).optThreads(1).build().run(rows);

        assertThat(twoThreads.features()).hasSize(BenchHeaders.COLUMNS);
        assertThat(twoThreads.auc()).isGreaterThan(0.58);
        assertThat(twoThreads.importances().subList(0, 3)).extracting(BaselineReport.FeatureImportance::feature)
                .containsExactlyInAnyOrderElementsOf(BenchHeaders.SIGNAL);
        assertThat(oneThread).usingRecursiveComparison().ignoringFields("trainSeconds").isEqualTo(twoThreads);
    }

    @Test
    void theReportTravelsAsJson() throws Exception {
        BaselineReport report = forest.run(table(400, 2, true, false, 6));
        ObjectMapper json = new ObjectMapper();

        String text = json.writeValueAsString(report);

        assertThat(text).contains("\"verdict\":\"metadata alone", "\"importances\":[{\"feature\":");
        assertThat(json.readValue(text, BaselineReport.class)).isEqualTo(report);
    }

    @Test
    void anEmptySplitIsRefusedWithWhatToDo() {
        List<MetadataSample> trainOnly = table(400, 2, true, false, 7).stream()
                .map(s -> new MetadataSample(s.uid(), MetadataSample.TRAIN, s.features(), s.positive())).toList();

        assertThatThrownBy(() -> forest.run(trainOnly)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the valid split is empty (0 of 400 samples): assign patients to both 'train' and 'valid'");
        assertThatThrownBy(() -> forest.run(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the train split is empty");
    }

    @Test
    void aSplitWithOneClassIsRefused() {
        List<MetadataSample> samples = table(400, 2, true, false, 8);
        List<MetadataSample> trainNegative = samples.stream().map(s -> s.split().equals(MetadataSample.TRAIN)
                ? new MetadataSample(s.uid(), s.split(), s.features(), false) : s).toList();
        List<MetadataSample> validPositive = samples.stream().map(s -> s.split().equals(MetadataSample.VALID)
                ? new MetadataSample(s.uid(), s.split(), s.features(), true) : s).toList();

        assertThatThrownBy(() -> forest.run(trainNegative)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the train split has only negative slices (300): the forest cannot learn");
        assertThatThrownBy(() -> forest.run(validPositive)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the valid split has only positive slices (100): accuracy and AUC need");
    }

    @Test
    void headersWithoutAnyValueAreRefused() {
        List<MetadataSample> samples = table(400, 2, true, false, 9).stream().map(s -> {
            Map<String, Double> empty = new HashMap<>();
            s.features().keySet().forEach(k -> empty.put(k, k.equals("noise1") ? Double.NaN : null));
            return new MetadataSample(s.uid(), s.split(), empty, s.positive());
        }).toList();

        assertThatThrownBy(() -> forest.run(samples)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no numeric feature has any value in the 300 train slices (3 columns seen)");
    }

    @Test
    void unknownSplitsDuplicateSlicesAndAMissingSeedAreRefused() {
        List<MetadataSample> samples = new ArrayList<>(table(400, 2, true, false, 10));
        MetadataSample first = samples.get(0);

        samples.add(new MetadataSample("1.2.3", "test", first.features(), true));
        assertThatThrownBy(() -> forest.run(samples)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slice 1.2.3 has split 'test'; expected 'train' or 'valid'");

        samples.set(samples.size() - 1, new MetadataSample(first.uid(), MetadataSample.VALID, first.features(), true));
        assertThatThrownBy(() -> forest.run(samples)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("slice " + first.uid() + " appears more than once");

        assertThatThrownBy(() -> MetadataBaseline.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setSeed is required");
    }
}
