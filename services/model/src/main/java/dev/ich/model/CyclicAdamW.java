package dev.ich.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * DJL's AdamW update with beta1 read every step, so one-cycle can move it against the rate (fastai: 0.95 to 0.85
 * while the rate warms up, back to 0.95 while it anneals). DJL's own AdamW takes a fixed beta1.
 */
final class CyclicAdamW extends Optimizer {
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final DiscriminativeSchedule rates;
    private final DoubleSupplier beta1;
    private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();

    CyclicAdamW(DiscriminativeSchedule rates, DoubleSupplier beta1, float weightDecay) {
        super(new Builder().optWeightDecays(weightDecay));
        this.rates = rates;
        this.beta1 = beta1;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        float b1 = (float) beta1.getAsDouble();
        float lr = rates.getNewValue(parameterId, t);
        // Bias correction with the current beta1, as PyTorch's AdamW under a momentum-cycling scheduler.
        float lrCorrected = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(b1, t)));
        NDList inputs = new NDList(weight, grad,
                withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike()),
                withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike()));
        weight.getNDArrayInternal().adamUpdate(inputs, new NDList(weight), lr, lrCorrected, getWeightDecay(), rescaleGrad, clipGrad,
                b1, BETA2, EPSILON, true, true);
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
