package dev.ich.model.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

import java.util.List;

/**
 * ResNet-18 as torchvision (and fastai's {@code resnet18}) builds it: basic blocks of two 3x3 convolutions, no
 * convolution bias, 11,177,025 parameters with one output. Not the same network as DJL's
 * {@code ResNetV1.builder().setNumLayers(18)}, which in DJL 0.33.0 builds bottleneck units (1x1, 3x3, 1x1 at a
 * quarter of the width) and has 900,897 values: about a twelfth of the parameters and far fewer operations.
 */
public final class TorchvisionResNet18 {

    private TorchvisionResNet18() {
    }

    public static Block build(int outputs) {
        SequentialBlock net = new SequentialBlock()
                .add(conv(64, 7, 2, 3))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int in = 64;
        int[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < widths.length; stage++) {
            int width = widths[stage];
            int stride = stage == 0 ? 1 : 2;
            net.add(basicBlock(width, stride, stride != 1 || in != width));
            net.add(basicBlock(width, 1, false));
            in = width;
        }
        return net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(outputs).build());
    }

    private static Block basicBlock(int width, int stride, boolean downsample) {
        SequentialBlock body = new SequentialBlock()
                .add(conv(width, 3, stride, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(conv(width, 3, 1, 1))
                .add(BatchNorm.builder().build());
        Block shortcut = downsample
                ? new SequentialBlock().add(conv(width, 1, stride, 0)).add(BatchNorm.builder().build())
                : Blocks.identityBlock();
        return new ParallelBlock(TorchvisionResNet18::addRelu, List.of(body, shortcut));
    }

    private static NDList addRelu(List<NDList> outputs) {
        NDArray sum = outputs.get(0).singletonOrThrow().add(outputs.get(1).singletonOrThrow());
        return new NDList(Activation.relu(sum));
    }

    private static Conv2d conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(false)
                .build();
    }
}
