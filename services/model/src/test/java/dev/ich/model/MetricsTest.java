package dev.ich.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {
    @Test
    void accuracyAveragesOverSamplesAndOutputs() {
        Predictions p = new Predictions(List.of("a", "b"), new float[] {0.9f, 0.4f, 0.6f, 0.5f}, new float[] {1, 0, 0, 1}, 1);
        assertThat(Metrics.accuracy(p, 0.5)).isEqualTo(0.75);
    }

    @Test
    void weightedLogLossWeighsAnyTwiceAsMuchAsEachSubtype() {
        // one sample, six outputs in CSV order (epidural .. subdural, any): only 'any' is wrong-ish
        float[] prob = {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.25f};
        float[] target = {0, 0, 0, 0, 0, 1};
        Predictions p = new Predictions(List.of("ID_1"), prob, target, 6);
        double expected = (5 * Math.log(2) + 2 * -Math.log(0.25)) / 7;
        assertThat(Metrics.weightedLogLoss(p)).isCloseTo(expected, within(1e-6));
        assertThat(Metrics.logLoss(p)).isCloseTo((5 * Math.log(2) - Math.log(0.25)) / 6, within(1e-6));
        assertThat(Metrics.aucByLabel(p)).containsKeys("epidural", "any").hasSize(6);
    }

    @Test
    void probabilitiesAreClippedSoACertainMistakeCostsFinitely() {
        Predictions p = new Predictions(List.of("a"), new float[] {0f}, new float[] {1}, 1);
        assertThat(Metrics.weightedLogLoss(p)).isCloseTo(-Math.log(Metrics.EPS), within(1e-6));
    }

    @Test
    void rocRunsFromTheOriginToOneOneThroughEveryThreshold() {
        Metrics.Roc roc = Metrics.roc(new float[] {0.8f, 0.4f, 0.4f, 0.1f}, new float[] {1, 1, 0, 0});
        assertThat(roc.falsePositiveRate()).containsExactly(0, 0, 0.5, 1);
        assertThat(roc.truePositiveRate()).containsExactly(0, 0.5, 1, 1);
        assertThat(roc.auc()).isEqualTo(0.875);
    }
}
