package dev.ich.model.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrainStepBenchTest {

    @Test
    void smallRunGivesAPositiveRate() {
        TrainStepBench.Result result = TrainStepBench.run(32, 4, 1, 2);
        assertThat(result.imagesPerSecond()).isPositive();
        assertThat(result.steps()).isEqualTo(2);
        assertThat(result.threads()).isPositive();
    }

    @Test
    void torchvisionResNet18HasTorchvisionsParameterCount() {
        try (ai.djl.Model model = ai.djl.Model.newInstance("count", ai.djl.Device.cpu(), "PyTorch")) {
            ai.djl.nn.Block net = TorchvisionResNet18.build(1);
            net.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(1, 3, 64, 64));
            long trainable = net.getParameters().values().stream()
                    .filter(p -> p.requiresGradient())
                    .mapToLong(p -> p.getArray().size())
                    .sum();
            assertThat(trainable).isEqualTo(11_177_025L); // torchvision.models.resnet18(num_classes=1)
        }
    }

    @Test
    void resNet18RunGivesAPositiveRate() {
        assertThat(TrainStepBench.run(TrainStepBench.Arch.RESNET18, 32, 2, 1, 1).imagesPerSecond()).isPositive();
    }
}
