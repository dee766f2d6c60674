package dev.ich.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The finder's suggestion on recorded sweeps, without training anything. */
class LrSuggestionTest {

    /** A 28-step sweep recorded on 377 phantom slices (ResNet-18, 64 px): noise first, the real descent from 3e-5 to 4e-4. */
    private static final double[] SHORT_SWEEP_LOSSES = {0.877, 1.069, 0.794, 1.106, 0.796, 0.811, 0.944, 0.818, 0.959, 0.811, 0.714,
            0.652, 0.565, 0.461, 0.509, 0.650, 0.779, 0.563, 1.673, 2.303, 0.520, 2.018, 0.727, 0.662, 2.657, 6.294, 2.922, 109.648};

    @Test
    void aShortNoisySweepSuggestsARateInsideTheDescentNotAtTheNoisyStart() {
        List<Double> rates = new ArrayList<>(), losses = new ArrayList<>();
        for (int i = 0; i < SHORT_SWEEP_LOSSES.length; i++) {
            // The recorded sweep: 30 steps planned from 1e-7 to 10, stopped early after 28 when the loss exploded.
            rates.add(1e-7 * Math.pow(10, 8.0 * i / 29));
            losses.add(SHORT_SWEEP_LOSSES[i]);
        }

        double suggestion = LrFinder.steepest(rates, losses);

        assertThat(suggestion).isBetween(3e-5, 1e-3);
    }

    /** A 30-step SGD sweep on the same phantoms: the loss falls from 4e-4 to about 1e-2 and explodes past 0.1. */
    private static final double[] SGD_SWEEP_LOSSES = {0.860, 0.748, 0.849, 1.027, 0.911, 0.829, 0.872, 0.759, 1.034, 0.904, 0.965,
            1.304, 1.000, 0.995, 0.744, 0.725, 0.604, 0.755, 0.595, 0.678, 0.653, 0.989, 1.039, 3.689, 1.110, 1.953, 9.421, 6.951,
            31.792, 77.241};

    @Test
    void oneCyclesPeakIsWhereTheAveragedLossIsLowestBeforeItExplodes() {
        List<Double> rates = new ArrayList<>(), losses = new ArrayList<>();
        for (int i = 0; i < SGD_SWEEP_LOSSES.length; i++) {
            rates.add(1e-7 * Math.pow(10, 8.0 * i / 29));
            losses.add(SGD_SWEEP_LOSSES[i]);
        }

        assertThat(LrFinder.lowest(rates, losses)).isBetween(3e-3, 3e-2);
        assertThat(LrFinder.steepest(rates, losses)).isLessThan(LrFinder.lowest(rates, losses));
    }
}
