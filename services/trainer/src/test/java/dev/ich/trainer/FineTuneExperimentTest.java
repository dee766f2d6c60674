package dev.ich.trainer;

import dev.ich.model.EpochResult;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary table on hand-made results: means, deviations and the paired difference to the same seed's baseline. */
class FineTuneExperimentTest {
    private static EpochResult result(double accuracy, double auc) {
        return new EpochResult(3, "unfrozen", 0.3, 0.4, accuracy, Map.of("any", auc), null, 1.0);
    }

    @Test
    void eachArmIsSummarisedOverTheSeedsAndPairedWithItsSeedsBaseline() {
        FineTuneExperiment experiment = new FineTuneExperiment();
        experiment.epochs = 4;
        experiment.lr = 0.01;
        List<FineTuneExperiment.Arm> arms = experiment.arms();
        Map<FineTuneExperiment.Arm, List<EpochResult>> results = new LinkedHashMap<>();
        results.put(arms.get(0), List.of(result(0.80, 0.90), result(0.90, 0.94)));
        results.put(arms.get(1), List.of(result(0.82, 0.91), result(0.90, 0.95)));
        for (FineTuneExperiment.Arm arm : arms.subList(2, arms.size())) results.put(arm, List.of(result(0.80, 0.90), result(0.90, 0.94)));

        String table = FineTuneExperiment.summary(arms, results, 200);

        assertThat(table).contains("| " + arms.get(0).name() + " | 0.850 ± 0.071 | 0.920 ± 0.028 | - |");
        assertThat(table).contains("| " + arms.get(1).name() + " | 0.860 ± 0.057 | 0.930 ± 0.028 | +0.010 ± 0.014 |");
        assertThat(table).contains("binomial sd of 0.025");
        assertThat(arms.get(1).lrMin()).isEqualTo(1e-4);
        assertThat(arms.get(4).epochs()).isEqualTo(6);
    }
}
