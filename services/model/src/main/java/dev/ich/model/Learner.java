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
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.translate.Batchifier;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ich.core.training.Task;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The notebooks' training recipe on one network: frozen then unfrozen fitting with one-cycle and discriminative rates,
 * prediction, and checkpoints; the learning-rate finder ({@link LrFinder}) sweeps with its trainer. Not thread-safe; one run at a time.
 *
 * <p>Every batch lives in its own {@link NDManager} closed after the step, so a long run holds only the weights
 * and the optimiser state in native memory. A new DJL {@link Trainer} (and optimiser state) is made per phase.
 */
public final class Learner implements AutoCloseable {
    static final String SPEC_FILE = "model.json";
    static final String PARAMETERS_FILE = "parameters.params";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Batch norm's learnable affine parameters: they keep training while the backbone is frozen. */
    private static final Predicate<Parameter> NOT_BATCH_NORM =
            p -> p.getType() != Parameter.Type.GAMMA && p.getType() != Parameter.Type.BETA
                    && p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR;

    private final ModelSpec spec;
    private final Model model;
    private final Networks.Network network;
    private final Device[] devices;
    private boolean backboneFrozen;

    private Learner(ModelSpec spec, Model model, Networks.Network network, Device[] devices) {
        this.spec = spec;
        this.model = model;
        this.network = network;
        this.devices = devices;
    }

    /** A freshly initialised network (He-normal weights) on every device the engine has (GPUs when present, else CPU). */
    public static Learner create(ModelSpec spec, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Learner learner = open(spec);
        Block block = learner.network.block();
        block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
                Parameter.Type.WEIGHT);
        block.initialize(learner.model.getNDManager(), DataType.FLOAT32, learner.inputShape(1));
        return learner;
    }

    private static Learner open(ModelSpec spec) {
        Device[] devices = Engine.getInstance().getDevices();
        Model model = Model.newInstance("ich-" + spec.architecture().name().toLowerCase() + "-" + spec.task().name().toLowerCase(),
                devices[0]);
        Networks.Network network = Networks.build(spec);
        model.setBlock(network.block());
        return new Learner(spec, model, network, devices);
    }

    /** A checkpoint written by {@link #save(Path)}: same network and weights; optimiser state starts afresh. */
    public static Learner load(Path dir) throws IOException {
        ModelSpec spec = JSON.readValue(dir.resolve(SPEC_FILE).toFile(), ModelSpec.class);
        Learner learner = open(spec);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(PARAMETERS_FILE))))) {
            learner.network.block().loadParameters(learner.model.getNDManager(), in);
            // Loaded arrays come without autograd; trainable ones need it back before fit.
            for (Parameter p : learner.network.block().getParameters().values()) {
                if (p.requiresGradient()) p.getArray().setRequiresGradient(true);
            }
        } catch (MalformedModelException e) {
            learner.close();
            throw new IOException("not a parameter file of this network: " + dir.resolve(PARAMETERS_FILE), e);
        }
        return learner;
    }

    /** Writes {@code model.json} (the spec) and {@code parameters.params} (weights and batch-norm statistics). */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(SPEC_FILE).toFile(), spec);
        Path tmp = dir.resolve(PARAMETERS_FILE + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            network.block().saveParameters(out);
        }
        Files.move(tmp, dir.resolve(PARAMETERS_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Copies a TorchScript backbone's weights (torchvision layout, e.g. ImageNet ResNet-18) into this network's
     * backbone; the head keeps its fresh initialisation. See {@link TorchScriptBackbone}.
     */
    public TorchScriptBackbone.Report loadPretrainedBackbone(Path torchScript) throws IOException {
        return TorchScriptBackbone.copyInto(torchScript, network);
    }

    public ModelSpec spec() {
        return spec;
    }

    public Networks.Network network() {
        return network;
    }

    public boolean backboneFrozen() {
        return backboneFrozen;
    }

    /**
     * Freezes the backbone's weights except batch norm (gamma, beta and running statistics keep training), or
     * unfreezes them. {@link #fit} sets this per phase; the LR finder sweeps in the current state.
     */
    public void freezeBackbone(boolean freeze) {
        for (int g = 0; g < Networks.HEAD; g++) network.groups().get(g).freezeParameters(freeze, NOT_BATCH_NORM);
        backboneFrozen = freeze;
    }

    /**
     * Trains epochs [startEpoch, plan.epochs()): those below {@code freezeEpochs} with the backbone frozen at
     * lrMax, the rest unfrozen with rates from lrMin (first group) to lrMax (head). The schedule spans each
     * phase's steps, so a resumed run (startEpoch &gt; 0) continues the same curve; optimiser state restarts.
     */
    public List<EpochResult> fit(FitPlan plan, BatchSource train, BatchSource valid, int startEpoch, FitListener listener) {
        List<EpochResult> results = new ArrayList<>();
        int frozenEnd = plan.freezeEpochs();
        if (startEpoch < frozenEnd) results.addAll(phase(Phase.FROZEN, plan, startEpoch, 0, frozenEnd, train, valid, listener));
        if (Math.max(startEpoch, frozenEnd) < plan.epochs()) {
            results.addAll(phase(Phase.UNFROZEN, plan, Math.max(startEpoch, frozenEnd), frozenEnd, plan.epochs(), train, valid, listener));
        }
        return results;
    }

    /** The two phases of {@link #fit}, by the name an {@link EpochResult} and a {@link StepProgress} give them. */
    private enum Phase {
        FROZEN("frozen"), UNFROZEN("unfrozen");

        final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    private List<EpochResult> phase(Phase phase, FitPlan plan, int from, int phaseStart, int phaseEnd, BatchSource train,
                                    BatchSource valid, FitListener listener) {
        boolean frozen = phase == Phase.FROZEN;
        freezeBackbone(frozen);
        int steps = train.batches();
        double[] rates = frozen
                ? DiscriminativeSchedule.geometric(plan.lrMax(), plan.lrMax(), Networks.GROUPS.size())
                : DiscriminativeSchedule.geometric(plan.lrMin(), plan.lrMax(), Networks.GROUPS.size());
        DiscriminativeSchedule schedule = new DiscriminativeSchedule(network.groupOfParameter(), rates, plan.schedule(),
                (phaseEnd - phaseStart) * steps);
        List<EpochResult> results = new ArrayList<>();
        try (Trainer trainer = newTrainer(optimizer(plan, schedule))) {
            for (int epoch = from; epoch < phaseEnd; epoch++) {
                long started = System.nanoTime();
                // A registry or resumed model was loaded, not created with a seed: without this its dropout would draw from
                // wherever the generator stood (TrainingDeterminismTest).
                Engine.getInstance().setRandomSeed(plan.epochSeed(epoch));
                double lossSum = 0;
                int step = 0;
                Iterator<Batch> batches = train.epoch(epoch);
                while (batches.hasNext()) {
                    schedule.setStep((epoch - phaseStart) * steps + step);
                    double loss = trainStep(trainer, batches.next());
                    lossSum += loss;
                    step++;
                    listener.step(new StepProgress(phase.label, epoch, plan.epochs(), step, steps, loss, schedule.rate(Networks.HEAD)));
                }
                refreshBatchNormStatistics(train, epoch);
                Predictions p = predict(valid);
                boolean multilabel = p.outputs() == Task.MULTILABEL.outputs();
                EpochResult result = new EpochResult(epoch, phase.label, step == 0 ? Double.NaN : lossSum / step, Metrics.logLoss(p),
                        Metrics.accuracy(p, 0.5), Metrics.aucByLabel(p), multilabel ? Metrics.weightedLogLoss(p) : null,
                        (System.nanoTime() - started) / 1e9);
                results.add(result);
                listener.epochEnded(result, this);
            }
        }
        return results;
    }

    Trainer newTrainer(Optimizer optimizer) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss()).optOptimizer(optimizer).optDevices(devices);
        return model.newTrainer(config);
    }

    static Loss loss() {
        return new SigmoidBinaryCrossEntropyLoss("bce", 1, false);
    }

    private static Optimizer optimizer(FitPlan plan, DiscriminativeSchedule rates) {
        float wd = (float) plan.weightDecay();
        return switch (plan.optimizer()) {
            case ADAMW -> new CyclicAdamW(rates, rates::beta1, wd);
            case SGD -> Optimizer.sgd().setLearningRateTracker(rates).optMomentum(0.9f).optWeightDecays(wd).build();
        };
    }

    /** One optimiser step on one batch (split across devices); returns the batch's mean loss. */
    double trainStep(Trainer trainer, Batch batch) {
        try (NDManager scope = model.getNDManager().newSubManager(devices[0])) {
            NDArray x = scope.create(batch.images(), inputShape(batch.size(), batch.channels(), batch.height(), batch.width()));
            NDArray y = scope.create(batch.targets(), new Shape(batch.size(), batch.outputs()));
            ai.djl.training.dataset.Batch djl = new ai.djl.training.dataset.Batch(scope, new NDList(x), new NDList(y), batch.size(),
                    Batchifier.STACK, Batchifier.STACK, 0, 0);
            double total = 0;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                for (ai.djl.training.dataset.Batch part : djl.split(trainer.getDevices(), false)) {
                    NDList out = trainer.forward(part.getData());
                    NDArray loss = trainer.getLoss().evaluate(part.getLabels(), out);
                    collector.backward(loss);
                    total += loss.getFloat() * part.getSize();
                }
            }
            trainer.step();
            return total / batch.size();
        }
    }

    /** Training batches forwarded (no gradient, no step) to refresh batch-norm running statistics before validation. */
    static final int REFRESH_BATCHES = 16;

    /**
     * Forwards a few training batches in training mode, without gradients or an optimizer step, so the
     * batch-norm running statistics describe the weights as they are at the end of the epoch. At one-cycle's
     * high rates the weights move faster than the running averages follow, and validation (which uses the
     * running statistics) then scores a network that does not exist: measured on phantoms, validation
     * accuracy swung to 0.2-0.5 mid-run while training loss fell.
     */
    private void refreshBatchNormStatistics(BatchSource train, int epoch) {
        Iterator<Batch> batches = train.epoch(epoch);
        int n = 0;
        while (batches.hasNext()) {
            Batch batch = batches.next();
            if (n++ >= REFRESH_BATCHES) continue; // drain the rest: the source's reader must reach its end
            try (NDManager scope = model.getNDManager().newSubManager(devices[0])) {
                NDArray x = scope.create(batch.images(), inputShape(batch.size(), batch.channels(), batch.height(), batch.width()));
                network.block().forward(new ParameterStore(scope, false), new NDList(x), true);
            }
        }
    }

    /** Sigmoid probabilities in inference mode (batch norm uses its running statistics, no dropout). */
    public Predictions predict(BatchSource source) {
        List<String> uids = new ArrayList<>();
        FloatBuffer probabilities = new FloatBuffer();
        FloatBuffer targets = new FloatBuffer();
        int outputs = spec.task().outputs();
        Iterator<Batch> batches = source.epoch(0);
        while (batches.hasNext()) {
            Batch batch = batches.next();
            try (NDManager scope = model.getNDManager().newSubManager(devices[0])) {
                NDArray x = scope.create(batch.images(), inputShape(batch.size(), batch.channels(), batch.height(), batch.width()));
                NDArray logits = network.block().forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow();
                probabilities.add(Activation.sigmoid(logits).toFloatArray());
            }
            uids.addAll(batch.uids());
            targets.add(batch.targets());
        }
        return new Predictions(List.copyOf(uids), probabilities.toArray(), targets.toArray(), outputs);
    }

    /**
     * Each slice's pooled backbone features (the head's concatenated max and average pooling, N x 2C) and its logits,
     * in inference mode: what a study-level sequence head ({@link StudyHead}) learns from, the network frozen.
     */
    public SliceFeatures features(BatchSource source) {
        List<String> uids = new ArrayList<>();
        FloatBuffer features = new FloatBuffer();
        FloatBuffer logits = new FloatBuffer();
        FloatBuffer targets = new FloatBuffer();
        int dim = -1;
        Iterator<Batch> batches = source.epoch(0);
        while (batches.hasNext()) {
            Batch batch = batches.next();
            try (NDManager scope = model.getNDManager().newSubManager(devices[0])) {
                ParameterStore store = new ParameterStore(scope, false);
                NDList x = new NDList(scope.create(batch.images(), inputShape(batch.size(), batch.channels(), batch.height(), batch.width())));
                for (int g = 0; g < Networks.HEAD; g++) x = network.backbone(g).forward(store, x, false);
                List<Block> head = network.head().getChildren().values();
                NDList pooled = head.get(0).forward(store, x, false);
                NDList out = pooled;
                for (int i = 1; i < head.size(); i++) out = head.get(i).forward(store, out, false);
                NDArray f = pooled.singletonOrThrow();
                dim = (int) f.getShape().get(1);
                features.add(f.toFloatArray());
                logits.add(out.singletonOrThrow().toFloatArray());
            }
            uids.addAll(batch.uids());
            targets.add(batch.targets());
        }
        return new SliceFeatures(List.copyOf(uids), features.toArray(), Math.max(dim, 0), logits.toArray(), targets.toArray(),
                spec.task().outputs());
    }

    /**
     * The notebooks' LR finder ({@link LrFinder}) with AdamW, as the notebooks sweep; the weights are as they were
     * afterwards.
     */
    public LrFinderResult findLearningRate(BatchSource train, double from, double to, int steps, FitListener listener) {
        return findLearningRate(train, from, to, steps, dev.ich.core.training.Optimizer.ADAMW, 0.01, listener);
    }

    /** The LR finder ({@link LrFinder}) with the optimiser the training will use. */
    public LrFinderResult findLearningRate(BatchSource train, double from, double to, int steps, dev.ich.core.training.Optimizer kind,
                                           double weightDecay, FitListener listener) {
        return LrFinder.sweep(this, train, from, to, steps, kind, weightDecay, listener);
    }

    /** A copy of every parameter (batch-norm statistics included), for {@link #restore} after a sweep. */
    Map<Parameter, NDArray> snapshot() {
        Map<Parameter, NDArray> saved = new java.util.LinkedHashMap<>();
        for (Parameter p : network.block().getParameters().values()) {
            NDArray copy = p.getArray().duplicate();
            copy.setRequiresGradient(false);
            saved.put(p, copy);
        }
        return saved;
    }

    void restore(Map<Parameter, NDArray> saved) {
        for (Map.Entry<Parameter, NDArray> e : saved.entrySet()) {
            e.getValue().copyTo(e.getKey().getArray());
            e.getValue().close();
        }
    }

    private Shape inputShape(int n) {
        return inputShape(n, spec.channels(), spec.imageSize(), spec.imageSize());
    }

    private Shape inputShape(int n, int c, int h, int w) {
        if (c != spec.channels()) throw new IllegalArgumentException("batch has " + c + " channels, the network " + spec.channels());
        return new Shape(n, c, h, w);
    }

    @Override
    public void close() {
        model.close();
    }

    /** A growable float array (predictions of unknown count). */
    private static final class FloatBuffer {
        private float[] data = new float[1024];
        private int size;

        void add(float[] values) {
            if (size + values.length > data.length) data = java.util.Arrays.copyOf(data, Math.max(data.length * 2, size + values.length));
            System.arraycopy(values, 0, data, size, values.length);
            size += values.length;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
