package dev.ich.model;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's baseline network (seed-facts, "Baseline model"): a ResNetV1 backbone without its classifier, then
 * fastai's head (concatenated average and max pooling, batch norm, dropout, linear 512, ReLU, batch norm, dropout,
 * linear K). The network is built as five layer groups so discriminative rates and freezing address groups.
 */
public final class Networks {
    /** Layer groups in order: the discriminative rates run from the first (lrMin) to the last (lrMax). */
    public static final List<String> GROUPS = List.of("stem+stage1", "stage2", "stage3", "stage4", "head");
    public static final int HEAD = GROUPS.size() - 1;
    static final int HIDDEN = 512;

    private Networks() {
    }

    /** The network and its groups (children of {@code block}, in {@link #GROUPS} order). */
    public record Network(SequentialBlock block, List<Block> groups) {
        /** Parameter id to group index: what the discriminative tracker keys on (DJL passes ids, not names). */
        public Map<String, Integer> groupOfParameter() {
            Map<String, Integer> map = new HashMap<>();
            for (int g = 0; g < groups.size(); g++) {
                for (Parameter p : groups.get(g).getParameters().values()) map.put(p.getId(), g);
            }
            return map;
        }

        public Block backbone(int group) {
            return groups.get(group);
        }

        public Block head() {
            return groups.get(HEAD);
        }
    }

    public static Network build(ModelSpec spec) {
        int[] units = spec.architecture() == Architecture.RESNET18 ? new int[] {2, 2, 2, 2} : new int[] {3, 4, 6, 3};
        SequentialBlock resnet = ResNetV1.builder()
                .setImageShape(new Shape(spec.channels(), spec.imageSize(), spec.imageSize()))
                .setNumLayers(spec.architecture().layers())
                .setOutSize(1)
                .build();
        List<Block> children = new ArrayList<>(resnet.getChildren().values());
        // ResNetV1 ends with global average pooling, its classifier (Linear) and a flatten: replaced by the head.
        int firstUnit = 0;
        while (!(children.get(firstUnit) instanceof ParallelBlock)) firstUnit++;
        List<Block> groups = new ArrayList<>();
        int next = firstUnit;
        for (int stage = 0; stage < 4; stage++) {
            SequentialBlock group = new SequentialBlock();
            if (stage == 0) children.subList(0, firstUnit).forEach(group::add);
            for (int u = 0; u < units[stage]; u++) {
                Block unit = children.get(next++);
                if (!(unit instanceof ParallelBlock)) throw new IllegalStateException("unexpected ResNetV1 layout at " + (next - 1));
                group.add(unit);
            }
            groups.add(group);
        }
        groups.add(head(spec));
        SequentialBlock net = new SequentialBlock();
        groups.forEach(net::add);
        return new Network(net, List.copyOf(groups));
    }

    static SequentialBlock head(ModelSpec spec) {
        return new SequentialBlock()
                .add(new LambdaBlock(Networks::concatPool, "concatPool"))
                .add(BatchNorm.builder().build())
                .add(Dropout.builder().optRate((float) spec.dropout()).build())
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation.reluBlock())
                .add(BatchNorm.builder().build())
                .add(Dropout.builder().optRate((float) spec.dropout()).build())
                .add(Linear.builder().setUnits(spec.task().outputs()).build());
    }

    /** fastai's AdaptiveConcatPool2d: N x C x H x W to N x 2C (max first, as fastai). */
    private static NDList concatPool(NDList input) {
        NDArray x = input.singletonOrThrow();
        long n = x.getShape().get(0);
        NDArray max = Pool.globalMaxPool2d(x).reshape(n, -1);
        NDArray avg = Pool.globalAvgPool2d(x).reshape(n, -1);
        return new NDList(NDArrays.concat(new NDList(max, avg), 1));
    }
}
