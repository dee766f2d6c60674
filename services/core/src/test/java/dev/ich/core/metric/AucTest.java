package dev.ich.core.metric;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AucTest {

    @Test
    void scoresThatSeparateTheClassesGiveOneAndReversedGiveZero() {
        boolean[] truth = {false, false, true, true};
        assertThat(Auc.of(new double[] {0.1, 0.2, 0.8, 0.9}, truth)).isEqualTo(1.0);
        assertThat(Auc.of(new double[] {0.9, 0.8, 0.2, 0.1}, truth)).isEqualTo(0.0);
    }

    @Test
    void theTextbookCaseGivesThreeQuarters() {
        // 3 of the 4 positive-negative pairs are ordered right: 0.35 < 0.4 is the one wrong pair.
        assertThat(Auc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true})).isEqualTo(0.75);
    }

    @Test
    void aTiedPairCountsOneHalf() {
        // positives {0.5, 0.8} against negatives {0.5, 0.2}: pairs 0.5, 1, 1, 1 -> 3.5 / 4
        assertThat(Auc.of(new double[] {0.5, 0.5, 0.2, 0.8}, new boolean[] {true, false, false, true})).isEqualTo(0.875);
        assertThat(Auc.of(new double[] {0.3, 0.3, 0.3, 0.3}, new boolean[] {true, false, true, false})).isEqualTo(0.5);
        assertThat(Auc.of(new float[] {0.8f, 0.4f, 0.4f, 0.1f}, new float[] {1, 1, 0, 0})).isEqualTo(0.875);
    }

    @Test
    void agreesWithCountingEveryPairOnCoarselyTiedScores() {
        Random random = new Random(7);
        double[] scores = new double[500];
        boolean[] truth = new boolean[500];
        for (int i = 0; i < scores.length; i++) {
            truth[i] = random.nextDouble() < 0.3;
            scores[i] = Math.round(((truth[i] ? 0.6 : 0.4) + random.nextGaussian() * 0.3) * 10) / 10.0;
        }
        double pairs = 0;
        double won = 0;
        for (int p = 0; p < scores.length; p++) {
            for (int n = 0; n < scores.length; n++) {
                if (truth[p] && !truth[n]) {
                    pairs++;
                    won += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0;
                }
            }
        }
        assertThat(Auc.of(scores, truth)).isCloseTo(won / pairs, within(1e-12)).isBetween(0.6, 0.8);
    }

    @Test
    void floatTargetsOfAtLeastOneHalfArePositive() {
        assertThat(Auc.of(new float[] {0.1f, 0.2f, 0.8f, 0.9f}, new float[] {0, 0.4f, 0.5f, 1})).isEqualTo(1.0);
    }

    @Test
    void oneClassHasNoAucAndMismatchedLengthsAreRefused() {
        assertThat(Auc.of(new double[] {0.1, 0.2}, new boolean[] {true, true})).isNaN();
        assertThat(Auc.of(new float[] {0.3f, 0.6f}, new float[] {0, 0})).isNaN();
        assertThat(Auc.of(new double[0], new boolean[0])).isNaN();
        assertThatThrownBy(() -> Auc.of(new double[] {0.1}, new boolean[] {true, false}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("1 scores but 2 labels");
    }
}
