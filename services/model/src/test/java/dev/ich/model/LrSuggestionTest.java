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

        double suggestion = Learner.steepest(rates, losses);

        assertThat(suggestion).isBetween(3e-5, 1e-3);
    }
}
