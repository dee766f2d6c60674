package dev.ich.model.explain;

import dev.ich.model.Predictions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeatmapSelectionTest {
    @Test
    void theWorstMistakesComeFirstThenTheSurestTruePositives() {
        // Two outputs per slice. s0 right negative; s1 a mistake by 0.9 on output 1; s2 a true positive (0.8);
        // s3 a mistake by 0.6 on output 0 (and a smaller one on output 1); s4 a true positive (0.95); s5 a true positive (0.7).
        Predictions p = new Predictions(List.of("s0", "s1", "s2", "s3", "s4", "s5"),
                new float[] {0.1f, 0.1f, 0.2f, 0.9f, 0.8f, 0.1f, 0.4f, 0.55f, 0.3f, 0.95f, 0.1f, 0.7f},
                new float[] {0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1}, 2);
        List<HeatmapSelection.Pick> picks = HeatmapSelection.worstMistakesThenTruePositives(p, 4);
        assertThat(picks).extracting(HeatmapSelection.Pick::slice).containsExactly(1, 3, 4, 2);
        assertThat(picks).extracting(HeatmapSelection.Pick::output).containsExactly(1, 0, 1, 0);
        assertThat(picks).extracting(HeatmapSelection.Pick::mistake).containsExactly(true, true, false, false);
        assertThat(HeatmapSelection.worstMistakesThenTruePositives(p, 10)).hasSize(5);
    }
}
