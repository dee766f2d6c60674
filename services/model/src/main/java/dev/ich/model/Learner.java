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
import ai.djl.training.tracker.ParameterTracker;
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
 * the learning-rate finder, prediction, and checkpoints. Not thread-safe; one run at a time.
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
        if (startEpoch < frozenEnd) results.addAll(phase("frozen", plan, startEpoch, 0, frozenEnd, train, valid, listener));
        if (Math.max(startEpoch, frozenEnd) < plan.epochs()) {
            results.addAll(phase("unfrozen", plan, Math.max(startEpoch, frozenEnd), frozenEnd, plan.epochs(), train, valid, listener));
        }
        return results;
    }

    private List<EpochResult> phase(String name, FitPlan plan, int from, int phaseStart, int phaseEnd, BatchSource train,
                                    BatchSource valid, FitListener listener) {
        boolean frozen = name.equals("frozen");
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
                double lossSum = 0;
                int step = 0;
                Iterator<Batch> batches = train.epoch(epoch);
                while (batches.hasNext()) {
                    schedule.setStep((epoch - phaseStart) * steps + step);
                    double loss = trainStep(trainer, batches.next());
                    lossSum += loss;
                    step++;
                    listener.step(new StepProgress(name, epoch, plan.epochs(), step, steps, loss, schedule.rate(Networks.HEAD)));
                }
                refreshBatchNormStatistics(train, epoch);
                Predictions p = predict(valid);
                boolean multilabel = p.outputs() == Task.MULTILABEL.outputs();
                EpochResult result = new EpochResult(epoch, name, step == 0 ? Double.NaN : lossSum / step, Metrics.logLoss(p),
                        Metrics.accuracy(p, 0.5), Metrics.aucByLabel(p), multilabel ? Metrics.weightedLogLoss(p) : null,
                        (System.nanoTime() - started) / 1e9);
                results.add(result);
                listener.epochEnded(result, this);
            }
        }
        return results;
    }

    private Trainer newTrainer(Optimizer optimizer) {
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
    private double trainStep(Trainer trainer, Batch batch) {
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
     * The notebooks' LR finder: one step per batch with the rate rising exponentially from {@code from} to {@code to}
     * over {@code steps} steps (passes repeat if the source is shorter), loss smoothed exponentially (beta 0.98 with
     * bias correction); stops when the smoothed loss exceeds 4x its minimum. The weights (batch-norm statistics
     * included) are restored afterwards, so the sweep leaves the model as it found it.
     */
    public LrFinderResult findLearningRate(BatchSource train, double from, double to, int steps, FitListener listener) {
        return findLearningRate(train, from, to, steps, FitPlan.OptimizerKind.ADAMW, 0.01, listener);
    }

    /**
     * The sweep with the optimiser the training will use: a rate is only meaningful for its optimiser (SGD with
     * momentum wants rates tens of times AdamW's), so a job that trains with SGD must not be handed an AdamW rate.
     */
    public LrFinderResult findLearningRate(BatchSource train, double from, double to, int steps, FitPlan.OptimizerKind kind,
                                           double weightDecay, FitListener listener) {
        if (!(from > 0 && to > from && steps >= 2)) throw new IllegalArgumentException("need 0 < from < to and steps >= 2");
        List<Double> rates = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> smoothed = new ArrayList<>();
        boolean stoppedEarly = false;
        double[] current = {from};
        ParameterTracker tracker = (id, n) -> (float) current[0];
        Map<Parameter, NDArray> saved = snapshot();
        Optimizer optimizer = switch (kind) {
            case ADAMW -> Optimizer.adamW().optLearningRateTracker(tracker).optWeightDecays((float) weightDecay).build();
            case SGD -> Optimizer.sgd().setLearningRateTracker(tracker).optMomentum(0.9f).optWeightDecays((float) weightDecay).build();
        };
        try (Trainer trainer = newTrainer(optimizer)) {
            double average = 0;
            double minimum = Double.POSITIVE_INFINITY;
            int pass = 0;
            Iterator<Batch> batches = train.epoch(pass);
            for (int i = 0; i < steps; i++) {
                if (!batches.hasNext()) batches = train.epoch(++pass);
                current[0] = from * Math.pow(to / from, (double) i / (steps - 1));
                double loss = trainStep(trainer, batches.next());
                average = 0.98 * average + 0.02 * loss;
                double smooth = average / (1 - Math.pow(0.98, i + 1));
                rates.add(current[0]);
                losses.add(loss);
                smoothed.add(smooth);
                listener.step(new StepProgress("lr-finder", 0, 1, i + 1, steps, loss, current[0]));
                minimum = Math.min(minimum, smooth);
                if (!Double.isFinite(smooth) || smooth > 4 * minimum) {
                    stoppedEarly = true;
                    break;
                }
            }
        } finally {
            restore(saved);
        }
        return new LrFinderResult(rates, losses, smoothed, steepest(rates, losses), minimumOverTen(rates, smoothed), lowest(rates, losses),
                stoppedEarly);
    }

    /**
     * The rate where the loss falls fastest per decade: the most negative finite difference, against log10(rate), of
     * the raw losses averaged over a centred window (a tenth of the sweep, at least 5 points), looking only between the
     * first 10% of the points and that curve's minimum (the descent; after it the loss explodes). Why not the smoothed
     * curve the plot shows: its bias-corrected moving average is a plain mean of the first few losses, so on a short
     * sweep their noise (where nothing is learnt yet) looks steeper than the real descent, which the long memory
     * flattens: 28 steps on 377 phantom slices suggested 6.7e-7 while the loss fell between 3e-5 and 4e-4.
     */
    static double steepest(List<Double> rates, List<Double> losses) {
        int n = rates.size();
        if (n < 3) return rates.get(0);
        double[] mean = windowedMean(losses);
        int skipStart = Math.min(n / 10, n - 2);
        int minimum = lowestIndex(mean, skipStart);
        int best = skipStart;
        double bestSlope = Double.POSITIVE_INFINITY;
        for (int i = skipStart; i < minimum; i++) {
            double slope = (mean[i + 1] - mean[i]) / (Math.log10(rates.get(i + 1)) - Math.log10(rates.get(i)));
            if (slope < bestSlope) {
                bestSlope = slope;
                best = i;
            }
        }
        return rates.get(best);
    }

    /** The rate where the windowed mean of the losses is lowest, after the first 10% of the points. */
    static double lowest(List<Double> rates, List<Double> losses) {
        int n = rates.size();
        if (n < 3) return rates.get(0);
        return rates.get(lowestIndex(windowedMean(losses), Math.min(n / 10, n - 2)));
    }

    private static int lowestIndex(double[] mean, int from) {
        int minimum = from;
        for (int i = from; i < mean.length; i++) if (mean[i] < mean[minimum]) minimum = i;
        return minimum;
    }

    /** Each loss averaged with its neighbours over a centred window of a tenth of the sweep (at least 5 points). */
    private static double[] windowedMean(List<Double> losses) {
        int n = losses.size();
        int half = Math.max(2, n / 20);
        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            int count = 0;
            for (int j = Math.max(0, i - half); j <= Math.min(n - 1, i + half); j++) {
                if (Double.isFinite(losses.get(j))) {
                    sum += losses.get(j);
                    count++;
                }
            }
            mean[i] = count == 0 ? Double.POSITIVE_INFINITY : sum / count;
        }
        return mean;
    }

    static double minimumOverTen(List<Double> rates, List<Double> smoothed) {
        int best = 0;
        for (int i = 1; i < smoothed.size(); i++) if (smoothed.get(i) < smoothed.get(best)) best = i;
        return rates.get(best) / 10;
    }

    private Map<Parameter, NDArray> snapshot() {
        Map<Parameter, NDArray> saved = new java.util.LinkedHashMap<>();
        for (Parameter p : network.block().getParameters().values()) {
            NDArray copy = p.getArray().duplicate();
            copy.setRequiresGradient(false);
            saved.put(p, copy);
        }
        return saved;
    }

    private void restore(Map<Parameter, NDArray> saved) {
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
