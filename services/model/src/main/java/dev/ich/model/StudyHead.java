package dev.ich.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleConsumer;

/**
 * A sequence head over the slices of a study (the RSNA 2019 winners' second stage): a frozen slice model's pooled
 * features and logits for every slice of a study, in position order, go through two 1-D convolutions along the slice
 * axis; their output is added to the slice model's own logits (a residual: the head starts as the slice model, its last
 * convolution initialised near zero) to give per-slice logits, and a study's logit per label is the maximum over its
 * slices. Loss: binary cross-entropy of the slices plus that of the study. One study per step, so a study's length is
 * whatever it is.
 */
public final class StudyHead implements AutoCloseable {
    static final String PARAMETERS_FILE = "study-head.params";
    static final String CONFIG_FILE = "study-head.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param hidden  channels of the first convolution
     * @param kernel  slices each convolution sees (odd)
     * @param dropout on the standardised input features, while training
     */
    public record Config(int hidden, int kernel, double dropout, int epochs, double learningRate, double weightDecay, long seed) {
        public Config {
            if (hidden < 1 || kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("hidden >= 1 and an odd kernel, not " + hidden + ", " + kernel);
            if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, not " + epochs);
        }

        public static Config defaults(int epochs, long seed) {
            return new Config(64, 3, 0.5, epochs, 1e-3, 1e-2, seed);
        }
    }

    /** One study: its id and its slices' uids in position order. */
    public record Study(String id, List<String> uids) {
    }

    /** What {@link #save} writes beside the weights: the shape and the input standardisation fitted on the training slices. */
    public record Stored(Config config, int featureDim, int outputs, float[] mean, float[] scale) {
    }

    /** Per-slice (uids in study order) and per-study (uids are study ids) probabilities, with targets. */
    public record Output(Predictions slices, Predictions studies) {
    }

    private final Stored stored;
    private final Model model;
    private final SequentialBlock block;

    private StudyHead(Stored stored) {
        this.stored = stored;
        int in = stored.featureDim() + stored.outputs();
        Config c = stored.config();
        block = new SequentialBlock()
                .add(Dropout.builder().optRate((float) c.dropout()).build())
                .add(Conv1d.builder().setKernelShape(new Shape(c.kernel())).optPadding(new Shape(c.kernel() / 2)).setFilters(c.hidden()).build())
                .add(Activation.reluBlock());
        Conv1d last = Conv1d.builder().setKernelShape(new Shape(c.kernel())).optPadding(new Shape(c.kernel() / 2)).setFilters(stored.outputs()).build();
        last.setInitializer(new NormalInitializer(1e-3f), Parameter.Type.WEIGHT);
        block.add(last);
        model = Model.newInstance("ich-study-head", Device.cpu());
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, in, 8));
    }

    public Stored stored() {
        return stored;
    }

    /** Trains a head on the studies' slices of {@code features}; {@code epochLoss} hears each epoch's mean loss. */
    public static StudyHead train(SliceFeatures features, List<Study> studies, Config config, DoubleConsumer epochLoss) {
        if (studies.isEmpty()) throw new IllegalArgumentException("no study to train a study head on");
        Engine.getInstance().setRandomSeed((int) config.seed());
        int in = features.dim() + features.outputs();
        float[] mean = new float[in], scale = new float[in];
        standardisation(features, mean, scale);
        StudyHead head = new StudyHead(new Stored(config, features.dim(), features.outputs(), mean, scale));
        Map<String, Integer> rows = features.rows();
        Optimizer adam = Optimizer.adamW().optLearningRateTracker(Tracker.fixed((float) config.learningRate()))
                .optWeightDecays((float) config.weightDecay()).build();
        List<Study> order = new ArrayList<>(studies);
        Random shuffle = new Random(config.seed());
        try (Trainer trainer = head.model.newTrainer(new DefaultTrainingConfig(Learner.loss()).optOptimizer(adam).optDevices(new Device[] {Device.cpu()}))) {
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                Collections.shuffle(order, shuffle);
                double sum = 0;
                for (Study s : order) {
                    try (NDManager scope = head.model.getNDManager().newSubManager()) {
                        NDArray[] io = head.inputs(scope, features, rows, s);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray sliceLogits = head.sliceLogits(trainer.forward(new NDList(io[0])).singletonOrThrow(), io[1]);
                            NDArray loss = bce(sliceLogits, io[2]).add(bce(sliceLogits.max(new int[] {1}), io[2].max(new int[] {1})));
                            sum += loss.getFloat();
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                }
                epochLoss.accept(sum / order.size());
            }
        }
        return head;
    }

    /** Per-slice and per-study probabilities in inference mode (no dropout). */
    public Output predict(SliceFeatures features, List<Study> studies) {
        Map<String, Integer> rows = features.rows();
        int k = stored.outputs();
        List<String> sliceIds = new ArrayList<>();
        List<String> studyIds = new ArrayList<>();
        int slices = studies.stream().mapToInt(s -> s.uids().size()).sum();
        float[] sliceP = new float[slices * k], sliceT = new float[slices * k], studyP = new float[studies.size() * k], studyT = new float[studies.size() * k];
        int at = 0;
        for (int si = 0; si < studies.size(); si++) {
            Study s = studies.get(si);
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDArray[] io = inputs(scope, features, rows, s);
                NDArray logits = sliceLogits(block.forward(new ParameterStore(scope, false), new NDList(io[0]), false).singletonOrThrow(), io[1]);
                float[] p = Activation.sigmoid(logits).toFloatArray(); // K x L
                float[] t = io[2].toFloatArray();
                int length = s.uids().size();
                for (int i = 0; i < length; i++) {
                    for (int j = 0; j < k; j++) {
                        sliceP[(at + i) * k + j] = p[j * length + i];
                        sliceT[(at + i) * k + j] = t[j * length + i];
                        studyP[si * k + j] = Math.max(studyP[si * k + j], p[j * length + i]);
                        studyT[si * k + j] = Math.max(studyT[si * k + j], t[j * length + i]);
                    }
                }
            }
            sliceIds.addAll(s.uids());
            studyIds.add(s.id());
            at += s.uids().size();
        }
        return new Output(new Predictions(List.copyOf(sliceIds), sliceP, sliceT, k), new Predictions(List.copyOf(studyIds), studyP, studyT, k));
    }

    /** {x: 1 x (F+K) x L standardised, logits: 1 x K x L, targets: 1 x K x L} of one study. */
    private NDArray[] inputs(NDManager scope, SliceFeatures f, Map<String, Integer> rows, Study s) {
        int length = s.uids().size(), dim = f.dim(), k = f.outputs(), in = dim + k;
        float[] x = new float[in * length], logits = new float[k * length], targets = new float[k * length];
        for (int i = 0; i < length; i++) {
            Integer row = rows.get(s.uids().get(i));
            if (row == null) throw new IllegalArgumentException("slice " + s.uids().get(i) + " of study " + s.id() + " has no features");
            for (int c = 0; c < dim; c++) x[c * length + i] = (f.features()[row * dim + c] - stored.mean()[c]) * stored.scale()[c];
            for (int j = 0; j < k; j++) {
                float logit = f.logits()[row * k + j];
                x[(dim + j) * length + i] = (logit - stored.mean()[dim + j]) * stored.scale()[dim + j];
                logits[j * length + i] = logit;
                targets[j * length + i] = f.targets()[row * k + j];
            }
        }
        return new NDArray[] {scope.create(x, new Shape(1, in, length)), scope.create(logits, new Shape(1, k, length)),
                scope.create(targets, new Shape(1, k, length))};
    }

    private NDArray sliceLogits(NDArray convolved, NDArray logits) {
        return convolved.add(logits);
    }

    /** Mean binary cross-entropy on logits, in the stable form max(x, 0) - x y + log(1 + e^-|x|). */
    private static NDArray bce(NDArray logits, NDArray targets) {
        return logits.maximum(0).sub(logits.mul(targets)).add(logits.abs().neg().exp().add(1).log()).mean();
    }

    /** Mean and 1/std of every input row over the training slices (1 where a feature never varies). */
    private static void standardisation(SliceFeatures f, float[] mean, float[] scale) {
        int n = f.uids().size(), dim = f.dim(), k = f.outputs();
        double[] sum = new double[mean.length], squares = new double[mean.length];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < dim + k; c++) {
                double v = c < dim ? f.features()[i * dim + c] : f.logits()[i * k + c - dim];
                sum[c] += v;
                squares[c] += v * v;
            }
        }
        for (int c = 0; c < mean.length; c++) {
            double m = sum[c] / n, variance = Math.max(0, squares[c] / n - m * m);
            mean[c] = (float) m;
            scale[c] = variance < 1e-12 ? 1f : (float) (1 / Math.sqrt(variance));
        }
    }

    /** Writes {@code study-head.json} (config and standardisation) and {@code study-head.params}. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(CONFIG_FILE).toFile(), stored);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(PARAMETERS_FILE))))) {
            block.saveParameters(out);
        }
    }

    public static StudyHead load(Path dir) throws IOException {
        StudyHead head = new StudyHead(JSON.readValue(dir.resolve(CONFIG_FILE).toFile(), Stored.class));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(PARAMETERS_FILE))))) {
            head.block.loadParameters(head.model.getNDManager(), in);
        } catch (MalformedModelException e) {
            head.close();
            throw new IOException("not a study head's parameter file: " + dir.resolve(PARAMETERS_FILE), e);
        }
        return head;
    }

    @Override
    public void close() {
        model.close();
    }
}
