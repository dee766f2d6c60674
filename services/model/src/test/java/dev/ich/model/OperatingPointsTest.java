package dev.ich.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OperatingPointsTest {

    @Test
    void theHighestThresholdThatKeepsTheTargetSensitivity() {
        // 20 positives scoring 0.05, 0.10, ... 1.00; 20 negatives scoring 0.025, 0.075, ... 0.975.
        float[] scores = new float[40];
        float[] targets = new float[40];
        for (int i = 0; i < 20; i++) {
            scores[i] = 0.05f * (i + 1);
            targets[i] = 1;
            scores[20 + i] = 0.05f * i + 0.025f;
        }
        OperatingPoints.Point p = OperatingPoints.choose(scores, targets, 0.95);
        // 19 of 20 positives must stay above: the 2nd-lowest positive score, 0.10.
        assertThat(p.threshold()).isCloseTo(0.10, within(1e-6));
        assertThat(p.sensitivity()).isEqualTo(19 / 20.0);
        // negatives below 0.10: 0.025 and 0.075
        assertThat(p.specificity()).isEqualTo(2 / 20.0);
        assertThat(p.sensitivityCi()[0]).isLessThan(0.95).isGreaterThan(0.7);
        assertThat(p.sensitivityCi()[1]).isGreaterThan(0.95).isLessThanOrEqualTo(1.0);
        assertThat(p.positives()).isEqualTo(20);
        assertThat(p.negatives()).isEqualTo(20);
    }

    @Test
    void aPerfectSeparationKeepsEveryPositiveAndEveryNegative() {
        float[] scores = {0.1f, 0.2f, 0.3f, 0.7f, 0.8f, 0.9f};
        float[] targets = {0, 0, 0, 1, 1, 1};
        OperatingPoints.Point p = OperatingPoints.choose(scores, targets, 0.95);
        assertThat(p.threshold()).isCloseTo(0.7, within(1e-6));
        assertThat(p.sensitivity()).isEqualTo(1.0);
        assertThat(p.specificity()).isEqualTo(1.0);
    }

    @Test
    void aLabelWithoutPositivesKeepsOneHalfAndSaysWhy() {
        OperatingPoints.Point p = OperatingPoints.choose(new float[] {0.2f, 0.4f}, new float[] {0, 0}, 0.95);
        assertThat(p.threshold()).isEqualTo(0.5);
        assertThat(p.method()).contains("0 positive");
        assertThat(p.sensitivity()).isNull();
    }

    @Test
    void everyLabelOfAMultilabelRunAndTheModelJsonBlock() {
        int n = 10;
        float[] prob = new float[n * 6];
        float[] truth = new float[n * 6];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 6; k++) {
                truth[i * 6 + k] = i % 2;
                prob[i * 6 + k] = i % 2 == 1 ? 0.6f + 0.01f * i : 0.3f;
            }
        }
        Map<String, OperatingPoints.Point> points = OperatingPoints.choose(new Predictions(List.of(), prob, truth, 6), 0.95);
        assertThat(points.keySet()).containsExactly("epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural", "any");
        Map<String, Object> json = OperatingPoints.json(points, 0.95);
        assertThat(json).containsEntry("targetSensitivity", 0.95).containsEntry("chosenOn", "validation");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> labels = (Map<String, Map<String, Object>>) json.get("labels");
        assertThat(labels.get("any")).containsKeys("threshold", "sensitivity", "sensitivityCi95", "specificity", "specificityCi95");
    }

    @Test
    void aTargetOutsideZeroToOneIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OperatingPoints.choose(new Predictions(List.of(), new float[0],
                new float[0], 1), 1.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    }
}
