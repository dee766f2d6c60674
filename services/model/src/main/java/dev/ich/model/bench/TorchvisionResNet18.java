package dev.ich.model.bench;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import dev.ich.core.training.Architecture;
import dev.ich.model.ResNets;

/**
 * ResNet-18 as torchvision (and fastai's {@code resnet18}) builds it: basic blocks of two 3x3 convolutions, no
 * convolution bias, 11,177,025 parameters with one output. Not the same network as DJL's
 * {@code ResNetV1.builder().setNumLayers(18)}, which in DJL 0.33.0 builds bottleneck units (1x1, 3x3, 1x1 at a
 * quarter of the width) and has 900,897 values: about a twelfth of the parameters and far fewer operations.
 */
public final class TorchvisionResNet18 {
    // The backbone is the model's own (ResNets); here it gets torchvision's classifier for the step benchmark.

    private TorchvisionResNet18() {
    }

    public static Block build(int outputs) {
        SequentialBlock net = new SequentialBlock();
        ResNets.stages(Architecture.RESNET18).forEach(net::add);
        return net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(outputs).build());
    }
}
