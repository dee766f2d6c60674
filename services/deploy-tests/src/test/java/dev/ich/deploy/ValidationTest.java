package dev.ich.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Values that cannot work together stop the install with a sentence that says what to change. */
class ValidationTest {

    @Test
    void twoLabelingReplicasOnOneDuckDbClaimAreRefused() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("labeling.replicas", 2)))
                .hasMessageContaining("these values cannot work together")
                .hasMessageContaining("labeling.replicas is 2 but labeling.persistence is enabled")
                .hasMessageContaining("keep labeling.replicas at 1");
    }

    @Test
    void aGpuTrainerWithNoWayOntoTheTaintedPoolIsRefusedTogetherWithOtherMistakes() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("training.jobs.tolerations", "null",
                "storage.existingSecret", "", "cleaning.autoscaling.minReplicas", 9, "cleaning.autoscaling.maxReplicas", 3)))
                .hasMessageContaining("training.jobs.gpu.count > 0 but the trainer has no nodeSelector, tolerations or affinity")
                .hasMessageContaining("storage.existingSecret is empty")
                .hasMessageContaining("cleaning.autoscaling.minReplicas (9) is greater than cleaning.autoscaling.maxReplicas (3)");
    }

    @Test
    void theSchemaRefusesAMisspeltValue() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("training.jobs.gpus", 2)))
                .hasMessageContaining("gpus");
    }
}
