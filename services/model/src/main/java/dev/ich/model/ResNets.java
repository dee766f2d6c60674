package dev.ich.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import dev.ich.core.training.Architecture;

import java.util.ArrayList;
import java.util.List;

/**
 * ResNet-18 and ResNet-34 backbones exactly as torchvision builds them (and fastai's {@code resnet18}/{@code resnet34},
 * the notebooks' baseline, are): a 7x7 stem, then four stages of basic blocks (two 3x3 convolutions, no convolution
 * bias, a 1x1 projection shortcut where the shape changes). Same layers, shapes and parameter order as
 * torchvision, so ImageNet weights exported as TorchScript map one to one ({@link TorchScriptBackbone}).
 *
 * <p>Not DJL's {@code ResNetV1}: in DJL 0.33.0 {@code setNumLayers(18)} builds bottleneck units at a quarter of the
 * width, a twelfth of ResNet-18's parameters (docs/benchmarks.md, "Training step").
 */
public final class ResNets {
    private static final int[] WIDTHS = {64, 128, 256, 512};

    private ResNets() {
    }

    /** Units per stage: torchvision's [2, 2, 2, 2] for ResNet-18, [3, 4, 6, 3] for ResNet-34. */
    public static int[] units(Architecture architecture) {
        return switch (architecture) {
            case RESNET18 -> new int[] {2, 2, 2, 2};
            case RESNET34 -> new int[] {3, 4, 6, 3};
        };
    }

    /** Channels of the backbone's last feature map. */
    public static int features() {
        return WIDTHS[WIDTHS.length - 1];
    }

    /**
     * The backbone as four blocks: the stem with the first stage, then one block per stage. These are the
     * layer groups the learner freezes and gives discriminative rates to ({@link Networks#GROUPS}).
     */
    public static List<SequentialBlock> stages(Architecture architecture) {
        int[] units = units(architecture);
        List<SequentialBlock> stages = new ArrayList<>();
        int in = WIDTHS[0];
        for (int stage = 0; stage < WIDTHS.length; stage++) {
            SequentialBlock block = new SequentialBlock();
            if (stage == 0) {
                block.add(conv(WIDTHS[0], 7, 2, 3))
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock())
                        .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
            }
            int width = WIDTHS[stage];
            int stride = stage == 0 ? 1 : 2;
            for (int u = 0; u < units[stage]; u++) {
                block.add(basicBlock(width, u == 0 ? stride : 1, u == 0 && (stride != 1 || in != width)));
            }
            in = width;
            stages.add(block);
        }
        return stages;
    }

    private static Block basicBlock(int width, int stride, boolean projection) {
        SequentialBlock body = new SequentialBlock()
                .add(conv(width, 3, stride, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(conv(width, 3, 1, 1))
                .add(BatchNorm.builder().build());
        Block shortcut = projection
                ? new SequentialBlock().add(conv(width, 1, stride, 0)).add(BatchNorm.builder().build())
                : Blocks.identityBlock();
        // Body before shortcut: torchvision's parameter order (conv1, bn1, conv2, bn2, downsample.0, downsample.1).
        return new ParallelBlock(ResNets::addRelu, List.of(body, shortcut));
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
