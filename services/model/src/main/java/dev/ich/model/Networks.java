package dev.ich.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
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
 * The notebooks' baseline network (docs/reference-experiment.md, "Baseline model"): a torchvision-layout ResNet backbone ({@link ResNets})
 * without its classifier, then
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
        List<Block> groups = new ArrayList<>(ResNets.stages(spec.architecture()));
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
