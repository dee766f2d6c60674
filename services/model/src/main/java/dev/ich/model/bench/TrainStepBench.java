package dev.ich.model.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Training-step throughput of the notebooks' baseline network in DJL: ResNet-18 ({@link ResNetV1}, 18 layers, one
 * output), sigmoid binary cross-entropy, Adam, one batch of random images of {@code 3 x imageSize x imageSize}.
 *
 * <p>What is timed: {@code steps} full training steps (forward, loss, backward, Adam update) on the same input
 * batch, after {@code warmup} untimed steps. The input is created once on the device, so no data loading or copying
 * is timed: the figure is the model's compute ceiling, comparable to {@code bench/python/train_step.py}.
 *
 * <p>Thread settings are the engine's: set {@code -Dai.djl.pytorch.num_threads=N} and
 * {@code -Dai.djl.pytorch.num_interop_threads=N} (read when the engine starts) or {@code OMP_NUM_THREADS}.
 *
 * <p>With a {@link Profiling}, a few more steps run after the timed ones under libtorch's profiler
 * ({@link JniUtils#startProfile}), which writes a chrome-trace JSON; {@code bench/python/compare_profiles.py}
 * compares it per op with {@code train_step.py --profile}'s. The profiled steps are not in the figures.
 */
public final class TrainStepBench {

    /** Which network is trained. */
    public enum Arch {
        /** {@code ResNetV1.builder().setNumLayers(18)} of DJL's basic model zoo (bottleneck units, 0.9 M values). */
        RESNETV1,
        /** ResNet-18 as torchvision builds it ({@link TorchvisionResNet18}, 11.2 M parameters). */
        RESNET18;

        Block build(int imageSize) {
            return switch (this) {
                case RESNETV1 -> ResNetV1.builder()
                        .setImageShape(new Shape(3, imageSize, imageSize))
                        .setNumLayers(18)
                        .setOutSize(1)
                        .build();
                case RESNET18 -> TorchvisionResNet18.build(1);
            };
        }
    }

    /** The figures of one run. */
    public record Result(Arch arch, int imageSize, int batch, int warmup, int steps, double seconds, double imagesPerSecond,
                         double firstStepSeconds, int threads, int interopThreads, String engineVersion) {

        public double msPerStep() {
            return seconds * 1000.0 / steps;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "DJL %s %s train step: size %d batch %d: %.2f images/s (%.1f ms/step, %d timed steps"
                            + " after %d warm-up; first step %.2f s) threads %d interop %d",
                    engineVersion, arch, imageSize, batch, imagesPerSecond, msPerStep(), steps, warmup, firstStepSeconds,
                    threads, interopThreads);
        }
    }

    /** Profile {@code steps} extra steps after the timed ones into a chrome-trace JSON at {@code chromeTrace}. */
    public record Profiling(Path chromeTrace, int steps) {
        public Profiling {
            if (steps < 1) {
                throw new IllegalArgumentException("profile at least one step");
            }
        }
    }

    private TrainStepBench() {
    }

    /** Runs the benchmark on DJL's {@code ResNetV1} with 18 layers; see {@link #run(Arch, int, int, int, int)}. */
    public static Result run(int imageSize, int batch, int warmup, int steps) {
        return run(Arch.RESNETV1, imageSize, batch, warmup, steps);
    }

    /** Runs the benchmark with the manual {@link GradientCollector} path (what {@code EasyTrain.trainBatch} does). */
    public static Result run(Arch arch, int imageSize, int batch, int warmup, int steps) {
        return run(arch, imageSize, batch, warmup, steps, null);
    }

    /** As {@link #run(Arch, int, int, int, int)}, then profiles one or more further steps when {@code profiling} is set. */
    public static Result run(Arch arch, int imageSize, int batch, int warmup, int steps, Profiling profiling) {
        if (imageSize < 1 || batch < 1 || warmup < 0 || steps < 1) {
            throw new IllegalArgumentException("imageSize, batch, steps must be positive and warmup >= 0");
        }
        Engine engine = Engine.getEngine("PyTorch");
        Block net = arch.build(imageSize);
        try (Model model = Model.newInstance("trainbench", Device.cpu(), "PyTorch")) {
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                    .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed(1e-3f)).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                Shape inputShape = new Shape(batch, 3, imageSize, imageSize);
                trainer.initialize(inputShape);
                NDManager manager = trainer.getManager();
                NDArray x = manager.randomUniform(0f, 1f, inputShape, DataType.FLOAT32);
                NDArray y = manager.randomUniform(0f, 1f, new Shape(batch, 1), DataType.FLOAT32).gt(0.5f)
                        .toType(DataType.FLOAT32, false);
                NDList data = new NDList(x);
                NDList labels = new NDList(y);

                long t0 = System.nanoTime();
                step(trainer, data, labels);
                double first = (System.nanoTime() - t0) / 1e9;
                for (int i = 1; i < warmup; i++) {
                    step(trainer, data, labels);
                }
                long start = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    step(trainer, data, labels);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (profiling != null) {
                    // recordShape: the trace names each op's input shapes, so kernels compare shape by shape
                    JniUtils.startProfile(false, true, false);
                    for (int i = 0; i < profiling.steps(); i++) {
                        step(trainer, data, labels);
                    }
                    JniUtils.stopProfile(profiling.chromeTrace().toAbsolutePath().toString());
                }
                return new Result(arch, imageSize, batch, warmup, steps, seconds, batch * steps / seconds, first,
                        JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(), engine.getVersion());
            }
        }
    }

    /**
     * One training step. The input arrays are attached to a step manager for the duration of the step, so every
     * array the step derives from them (activations, loss) is freed when the step ends, as {@code EasyTrain} does
     * with the batch's own manager.
     */
    static void step(Trainer trainer, NDList data, NDList labels) {
        try (NDManager stepManager = trainer.getManager().newSubManager()) {
            data.tempAttach(stepManager);
            labels.tempAttach(stepManager);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList preds = trainer.forward(data, labels);
                NDArray loss = trainer.getLoss().evaluate(labels, preds);
                collector.backward(loss);
                float value = loss.getFloat(); // the step's result reaches Java, as .item() does in Python
                if (Float.isNaN(value)) {
                    throw new IllegalStateException("loss is NaN");
                }
            }
            trainer.step();
        }
    }

    /**
     * {@code TrainStepBench [imageSize=256] [batch=32] [warmup=3] [steps=10] [repeats=1] [resnetv1|resnet18]
     * [profile.json [profiledSteps=1]]}: with a trace file, the last run profiles {@code profiledSteps} more steps.
     */
    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        Arch arch = args.length > 5 ? Arch.valueOf(args[5].toUpperCase(Locale.ROOT)) : Arch.RESNETV1;
        Profiling profiling = args.length > 6
                ? new Profiling(Path.of(args[6]), args.length > 7 ? Integer.parseInt(args[7]) : 1) : null;
        double[] rates = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            Result result = run(arch, size, batch, warmup, steps, r == repeats - 1 ? profiling : null);
            rates[r] = result.imagesPerSecond();
            System.out.println(result);
        }
        if (profiling != null) {
            System.out.printf(Locale.ROOT, "profile of %d step(s): %s%n", profiling.steps(), profiling.chromeTrace());
        }
        if (repeats > 1) {
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "median %.2f images/s over %d runs%n", sorted[repeats / 2], repeats);
        }
    }
}
