package dev.ich.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pretrained weights that arrive as TorchScript (how ImageNet ResNets leave PyTorch:
 * {@code torch.jit.trace(torchvision.models.resnet18(weights=...), x).save(file)}), copied into the network's
 * backbone ({@link ResNets}, which has torchvision's layers in torchvision's order).
 *
 * <p>Parameters are matched by position and checked by shape, so the file's names may carry any prefix (a
 * traced {@code nn.Sequential} names them {@code 0.weight}, torchvision {@code conv1.weight}). A trailing
 * classifier (a 2-D weight and a 1-D bias after the backbone, torchvision's {@code fc}) is ignored. A 3-channel
 * first convolution feeding a 1-channel model is summed over its input channels, as fastai does.
 *
 * <p>Batch-norm running statistics are buffers, not parameters, and DJL 0.33.0 reads only a TorchScript module's
 * parameters; they start from their initial values (mean 0, variance 1) and are re-estimated on the new data by
 * the first training steps (batch norm trains even in a frozen backbone) and before every validation
 * ({@link Learner}). For CT slices ImageNet's statistics would be wrong anyway.
 */
public final class TorchScriptBackbone {

    /**
     * What was copied.
     *
     * @param file            the TorchScript file
     * @param copied          parameter arrays copied into the backbone
     * @param ignored         names of the file's parameters left out (its classifier)
     * @param summedChannels  whether the first convolution was summed over its input channels
     */
    public record Report(Path file, int copied, List<String> ignored, boolean summedChannels) {
    }

    private TorchScriptBackbone() {
    }

    /** Copies the file's backbone parameters into {@code network}'s backbone groups. */
    public static Report copyInto(Path file, Networks.Network network) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("no TorchScript file at " + file);
        List<Parameter> ours = backboneParameters(network);
        try (Model scripted = Model.newInstance("pretrained-backbone", "PyTorch")) {
            try {
                scripted.load(file);
            } catch (Exception e) {
                throw new IOException("not a TorchScript file PyTorch can load: " + file + " (" + e.getMessage() + ")", e);
            }
            List<Pair<String, Parameter>> theirs = new ArrayList<>();
            scripted.getBlock().getParameters().forEach(theirs::add);
            List<String> ignored = trailingClassifier(theirs, ours.size(), file);
            boolean summed = false;
            try (NDManager scope = NDManager.newBaseManager()) {
                for (int i = 0; i < ours.size(); i++) {
                    Parameter target = ours.get(i);
                    String name = theirs.get(i).getKey();
                    NDArray source = theirs.get(i).getValue().getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
                    Shape want = target.getArray().getShape();
                    if (i == 0 && !source.getShape().equals(want) && source.getShape().dimension() == 4 && want.get(1) == 1) {
                        // A colour stem for a single-channel model: the grey image is the sum of three equal channels.
                        source = scope.from(source).sum(new int[] {1}, true);
                        summed = true;
                    }
                    if (!source.getShape().equals(want)) {
                        throw new IllegalArgumentException("pretrained backbone " + file.getFileName() + " does not fit this network: its "
                                + "parameter #" + (i + 1) + " '" + name + "' has shape " + source.getShape() + ", the network's "
                                + target.getName() + " needs " + want + " (is it a torchvision ResNet of the same depth?)");
                    }
                    float[] values = source.toFloatArray();
                    NDArray array = target.getArray();
                    boolean grad = array.hasGradient();
                    array.set(FloatBuffer.wrap(values));
                    if (grad) array.setRequiresGradient(true);
                }
            }
            return new Report(file, ours.size(), ignored, summed);
        }
    }

    /** The backbone's learnable arrays in network order: batch-norm running statistics are not parameters in TorchScript. */
    static List<Parameter> backboneParameters(Networks.Network network) {
        List<Parameter> list = new ArrayList<>();
        for (int g = 0; g < Networks.HEAD; g++) {
            for (Parameter p : network.groups().get(g).getParameters().values()) {
                if (p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR) list.add(p);
            }
        }
        return list;
    }

    private static List<String> trailingClassifier(List<Pair<String, Parameter>> theirs, int needed, Path file) {
        if (theirs.size() < needed) {
            throw new IllegalArgumentException("pretrained backbone " + file.getFileName() + " has " + theirs.size()
                    + " parameter arrays, this network's backbone needs " + needed + " (ResNet-18 has 60, ResNet-34 108: is it a torchvision ResNet of the same depth?)");
        }
        List<String> extra = theirs.subList(needed, theirs.size()).stream().map(Pair::getKey).toList();
        boolean classifier = extra.isEmpty() || extra.size() == 2
                && theirs.get(needed).getValue().getArray().getShape().dimension() == 2
                && theirs.get(needed + 1).getValue().getArray().getShape().dimension() == 1;
        if (!classifier) {
            throw new IllegalArgumentException("pretrained backbone " + file.getFileName() + " has " + extra.size()
                    + " parameter arrays after the backbone that are not a classifier: " + extra);
        }
        return extra;
    }
}
