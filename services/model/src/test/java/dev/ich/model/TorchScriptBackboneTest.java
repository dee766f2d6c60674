package dev.ich.model;

import dev.ich.core.training.Schedule;
import dev.ich.core.training.Optimizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.ich.core.training.Architecture;
import dev.ich.core.training.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A torchvision ResNet-18 traced by PyTorch itself (Debian's python3-torch, which ./ich test installs) is the
 * pretrained file; the proof that every weight landed in the right place is that our backbone then computes
 * the same feature map as PyTorch's for the same input.
 */
class TorchScriptBackboneTest {
    static final int SIZE = 64;
    @TempDir
    static Path dir;

    @BeforeAll
    static void traceTorchvisionResNet18() throws Exception {
        Path script = Path.of("src/test/python/torchvision_backbone.py").toAbsolutePath();
        Process python = new ProcessBuilder("/usr/bin/python3", script.toString(), "--arch", "resnet18", "--size", String.valueOf(SIZE),
                "--out", dir.toString()).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes());
        assertThat(python.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(python.exitValue())
                .as("python3-torch and python3-torchvision are needed (./ich test installs them); the script said:%n%s", output)
                .isZero();
    }

    @Test
    void givenTorchvisionResNet18_whenCopied_thenTheBackboneComputesWhatPyTorchComputes() throws IOException {
        try (Learner learner = Learner.create(new ModelSpec(Architecture.RESNET18, Task.ANY, 3, SIZE, 0.25), 1);
             NDManager manager = NDManager.newBaseManager()) {
            TorchScriptBackbone.Report report = learner.loadPretrainedBackbone(dir.resolve("backbone.pt"));
            assertThat(report.copied()).isEqualTo(60);
            assertThat(report.ignored()).containsExactly("fc.weight", "fc.bias");
            assertThat(report.summedChannels()).isFalse();

            NDArray x = manager.create(floats(dir.resolve("input.f32")), new Shape(1, 3, SIZE, SIZE));
            NDList out = new NDList(x);
            ParameterStore store = new ParameterStore(manager, false);
            for (int g = 0; g < Networks.HEAD; g++) out = learner.network().groups().get(g).forward(store, out, false);
            float[] ours = out.singletonOrThrow().toFloatArray();
            float[] torch = floats(dir.resolve("features.f32"));
            assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(1, 512, SIZE / 32, SIZE / 32));
            double worst = 0;
            double scale = 0;
            for (int i = 0; i < torch.length; i++) {
                worst = Math.max(worst, Math.abs(ours[i] - torch[i]));
                scale = Math.max(scale, Math.abs(torch[i]));
            }
            assertThat(scale).isGreaterThan(0.1);
            assertThat(worst / scale).as("largest difference relative to the largest feature").isLessThan(1e-4);
        }
    }

    @Test
    void givenASingleChannelModel_whenCopied_thenTheColourStemIsSummedAndTheWeightsStillTrain() throws IOException {
        try (Learner learner = Learner.create(new ModelSpec(Architecture.RESNET18, Task.ANY, 1, SIZE, 0.25), 1)) {
            TorchScriptBackbone.Report report = learner.loadPretrainedBackbone(dir.resolve("backbone.pt"));
            assertThat(report.summedChannels()).isTrue();
            Parameter stem = TorchScriptBackbone.backboneParameters(learner.network()).get(0);
            assertThat(stem.getArray().getShape()).isEqualTo(new Shape(64, 1, 7, 7));
            assertThat(stem.getArray().hasGradient()).isTrue();
            // Training still moves them: one fit step on synthetic blobs changes the stem.
            float[] before = stem.getArray().toFloatArray();
            BatchSource data = Synthetic.batches(8, 8, 1, SIZE, 1, 3);
            learner.fit(new FitPlan(0, 1, 1e-2, 1e-2, Schedule.CONSTANT, Optimizer.SGD, 0), data, data, 0,
                    new FitListener() {});
            assertThat(stem.getArray().toFloatArray()).isNotEqualTo(before);
        }
    }

    @Test
    void givenResNet34_whenGivenResNet18Weights_thenTheErrorNamesTheMismatch() {
        try (Learner learner = Learner.create(new ModelSpec(Architecture.RESNET34, Task.ANY, 3, SIZE, 0.25), 1)) {
            assertThatThrownBy(() -> learner.loadPretrainedBackbone(dir.resolve("backbone.pt")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("this network's backbone needs 108")
                    .hasMessageContaining("same depth");
        }
    }

    @Test
    void givenNotTorchScript_whenLoaded_thenTheErrorSaysSo() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.pt"), "not a model");
        try (Learner learner = Learner.create(new ModelSpec(Architecture.RESNET18, Task.ANY, 3, SIZE, 0.25), 1)) {
            assertThatThrownBy(() -> learner.loadPretrainedBackbone(junk)).isInstanceOf(IOException.class)
                    .hasMessageContaining("not a TorchScript file");
            assertThatThrownBy(() -> learner.loadPretrainedBackbone(dir.resolve("absent.pt"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("no TorchScript file");
        }
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }

}
