package dev.ich.model.explain;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.ich.model.Classifier;
import dev.ich.model.Learner;
import dev.ich.model.ModelSpec;
import dev.ich.model.Networks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * Grad-CAM (Selvaraju et al., 2017) on the network's last convolutional stage: the gradient of one label's logit with
 * respect to that stage's feature maps, averaged over each map into a channel weight; the weighted sum of the maps,
 * ReLU, bilinearly upsampled to the input size and divided by its maximum, so 1 marks where the evidence for the label
 * is strongest and 0 where there is none.
 *
 * <p>The network runs in two parts, as {@link Networks} builds it: the four backbone groups (stem to stage 4), whose
 * output is detached and made a leaf that records its gradient, then the head (concatenated pooling, the two linear
 * layers) under a gradient collector. Both parts run in inference mode (batch norm on its running statistics, no
 * dropout), so the probabilities are the classifier's own. The backward pass reaches only that feature map: every
 * parameter that asks for a gradient (a learner's) is switched off for the pass and back on after, so the weights and
 * their gradients are exactly as before, and the arrays of the pass are freed with it.
 *
 * <p>PyTorch's gradient collector in DJL 0.33 is one per process (a second one fails), so passes run one at a time
 * process-wide; never during a training step in the same process.
 */
public final class GradCam {
    /** DJL's PtGradientCollector refuses a second collector while one is open anywhere in the process. */
    private static final ReentrantLock AUTOGRAD = new ReentrantLock();

    private final List<Block> features;
    private final Block head;
    private final int channels;
    private final int height;
    private final int width;

    GradCam(List<Block> features, Block head, int channels, int height, int width) {
        this.features = List.copyOf(features);
        this.head = head;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** On a serving classifier (its weights never ask for gradients). */
    public static GradCam of(Classifier classifier) {
        return of(classifier.network(), classifier.spec());
    }

    /** On a learner's network, e.g. at the end of training for the report. */
    public static GradCam of(Learner learner) {
        return of(learner.network(), learner.spec());
    }

    /**
     * Every network ich trains and serves is {@link Networks#build}'s: backbone groups, then the head. A network of
     * another shape has no known last convolutional stage and is refused.
     */
    public static GradCam of(Networks.Network network, ModelSpec spec) {
        if (network.groups().size() != Networks.GROUPS.size()) {
            throw new IllegalArgumentException("Grad-CAM needs the network as Networks builds it (" + Networks.GROUPS + "), this one has "
                    + network.groups().size() + " groups: its last convolutional stage is unknown");
        }
        return new GradCam(network.groups().subList(0, Networks.HEAD), network.head(), spec.channels(), spec.imageSize(), spec.imageSize());
    }

    /** Explains output {@code k} for every image. */
    public static ToIntFunction<float[]> label(int k) {
        return probabilities -> k;
    }

    /** Explains each image's most probable output. */
    public static ToIntFunction<float[]> mostProbable() {
        return probabilities -> {
            int best = 0;
            for (int k = 1; k < probabilities.length; k++) if (probabilities[k] > probabilities[best]) best = k;
            return best;
        };
    }

    /**
     * One pass for {@code n} images ({@code n x C x H x W} floats in [0, 1], as the classifier takes them); the label
     * explained per image is chosen from that image's probabilities by {@code label}.
     */
    public Heatmaps compute(float[] images, int n, ToIntFunction<float[]> label) {
        long expected = (long) n * channels * height * width;
        if (n < 1 || images.length != expected) {
            throw new IllegalArgumentException("expected " + n + " x " + channels + " x " + height + " x " + width + " = " + expected
                    + " floats, got " + images.length);
        }
        AUTOGRAD.lock();
        List<NDArray> paused = new ArrayList<>();
        try (NDManager scope = NDManager.newBaseManager(device())) {
            for (Block b : blocks()) {
                for (Parameter p : b.getParameters().values()) {
                    NDArray array = p.getArray();
                    if (array.hasGradient()) {
                        array.setRequiresGradient(false);
                        paused.add(array);
                    }
                }
            }
            ParameterStore store = new ParameterStore(scope, false);
            NDList x = new NDList(scope.create(images, new Shape(n, channels, height, width)));
            for (Block b : features) x = b.forward(store, x, false);
            NDArray maps = x.singletonOrThrow().stopGradient();
            maps.setRequiresGradient(true);
            float[] probabilities;
            int[] labels = new int[n];
            int outputs;
            try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                NDArray logits = head.forward(store, new NDList(maps), false).singletonOrThrow();
                outputs = (int) logits.getShape().get(1);
                probabilities = Activation.sigmoid(logits.stopGradient()).toFloatArray();
                float[] select = new float[n * outputs];
                for (int i = 0; i < n; i++) {
                    float[] own = java.util.Arrays.copyOfRange(probabilities, i * outputs, (i + 1) * outputs);
                    labels[i] = label.applyAsInt(own);
                    if (labels[i] < 0 || labels[i] >= outputs) {
                        throw new IllegalArgumentException("label index " + labels[i] + " outside the network's " + outputs + " outputs");
                    }
                    select[i * outputs + labels[i]] = 1;
                }
                // Images are independent in inference mode, so one backward of the summed chosen logits gives each image
                // the gradient of its own logit.
                collector.backward(logits.mul(scope.create(select, new Shape(n, outputs))).sum());
            }
            NDArray gradient = maps.getGradient();
            NDArray a = maps.stopGradient();
            int fh = (int) a.getShape().get(2);
            int fw = (int) a.getShape().get(3);
            NDArray weights = gradient.sum(new int[] {2, 3}, true).div(fh * fw);
            NDArray coarse = Activation.relu(a.mul(weights).sum(new int[] {1}));
            float[] values = coarse.toFloatArray();
            float[][][] cams = new float[n][][];
            for (int i = 0; i < n; i++) cams[i] = normalised(upsample(values, i * fh * fw, fh, fw, height, width));
            return new Heatmaps(probabilities, outputs, labels, cams, fh, fw);
        } finally {
            for (NDArray array : paused) array.setRequiresGradient(true);
            AUTOGRAD.unlock();
        }
    }

    private List<Block> blocks() {
        List<Block> all = new ArrayList<>(features);
        all.add(head);
        return all;
    }

    private Device device() {
        for (Block b : blocks()) {
            for (Parameter p : b.getParameters().values()) if (p.isInitialized()) return p.getArray().getDevice();
        }
        throw new IllegalStateException("the network has no initialised parameters");
    }

    /** Bilinear, half-pixel centres and edges clamped (PyTorch's {@code interpolate(..., align_corners=False)}). */
    static float[][] upsample(float[] source, int offset, int sh, int sw, int height, int width) {
        float[][] out = new float[height][width];
        double sy = (double) sh / height;
        double sx = (double) sw / width;
        for (int y = 0; y < height; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            double wy = fy - y0;
            for (int x = 0; x < width; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                double wx = fx - x0;
                double top = source[offset + y0 * sw + x0] * (1 - wx) + source[offset + y0 * sw + x1] * wx;
                double bottom = source[offset + y1 * sw + x0] * (1 - wx) + source[offset + y1 * sw + x1] * wx;
                out[y][x] = (float) (top * (1 - wy) + bottom * wy);
            }
        }
        return out;
    }

    /** Divided by its maximum; an all-zero map (no positive evidence anywhere) stays zero. */
    private static float[][] normalised(float[][] cam) {
        float max = 0;
        for (float[] row : cam) for (float v : row) max = Math.max(max, v);
        if (max > 0) for (float[] row : cam) for (int x = 0; x < row.length; x++) row[x] /= max;
        return cam;
    }
}
