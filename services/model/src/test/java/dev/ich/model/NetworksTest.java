package dev.ich.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.ich.core.training.Architecture;
import dev.ich.core.training.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class NetworksTest {
    @ParameterizedTest
    @CsvSource({"RESNET18,ANY,3", "RESNET18,MULTILABEL,1", "RESNET34,ANY,1", "RESNET34,MULTILABEL,3"})
    void theHeadGivesOneLogitPerOutputForEverySample(Architecture architecture, Task task, int channels) {
        ModelSpec spec = new ModelSpec(architecture, task, channels, 32, 0.5);
        try (Learner learner = Learner.create(spec, 1);
             NDManager manager = NDManager.newBaseManager()) {
            NDArray zeros = manager.zeros(new Shape(2, channels, 32, 32));
            NDArray out = learner.network().block().forward(new ParameterStore(manager, false), new NDList(zeros), false)
                    .singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(2, task.outputs()));
            assertThat(learner.network().groups()).hasSize(Networks.GROUPS.size());
            assertThat(learner.network().groupOfParameter().values()).containsAll(java.util.List.of(0, 1, 2, 3, 4));
        }
    }
}
