package dev.ich.inference;

import dev.ich.inference.serving.Batcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What /q/metrics shows of serving: request latency per endpoint (histogram and p50/p95/p99), forward-pass batch
 * sizes, forward passes by their threads, time images wait for a predictor and time in the model, the model version in use, and how many
 * predictions per label came out above 0.5 (a drift signal: the share of positives should stay near the data's).
 */
@ApplicationScoped
public class InferenceMetrics implements Batcher.Listener {
    private final MeterRegistry registry;
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> positives = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> passes = new ConcurrentHashMap<>();
    private final DistributionSummary batchSizes;
    private final Timer queue;
    private final Timer forward;
    private final AtomicReference<Supplier<Double>> version = new AtomicReference<>(() -> Double.NaN);

    @Inject
    public InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
        batchSizes = DistributionSummary.builder("ich.inference.batch.size").description("images per forward pass")
                .publishPercentileHistogram().serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
        queue = percentiles(Timer.builder("ich.inference.queue").description("time an image waits for a predictor")).register(registry);
        forward = percentiles(Timer.builder("ich.inference.forward").description("time of one forward pass")).register(registry);
        registry.gauge("ich.inference.model.version", List.of(), this, m -> m.version.get().get());
    }

    private static Timer.Builder percentiles(Timer.Builder b) {
        return b.publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram();
    }

    /** Request latency of one endpoint ({@code predict}, {@code study}, {@code oip-infer}). */
    public void request(String endpoint, long nanos) {
        requests.computeIfAbsent(endpoint, e -> percentiles(Timer.builder("ich.inference.request").tag("endpoint", e)
                .description("request latency per endpoint")).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void predicted(List<String> labels, float[] probabilities) {
        for (int k = 0; k < labels.size(); k++) {
            if (probabilities[k] > 0.5f) {
                positives.computeIfAbsent(labels.get(k), l -> Counter.builder("ich.inference.positive.predictions").tag("label", l)
                        .description("predictions above 0.5 per label").register(registry)).increment();
            }
        }
    }

    public void rejected(String problem) {
        rejections.computeIfAbsent(problem, p -> Counter.builder("ich.inference.rejections").tag("problem", p)
                .description("requests answered 4xx/503, by problem").register(registry)).increment();
    }

    /** The version number the gauge reports ({@code v<N>} as N). */
    public void versionInUse(Supplier<Double> current) {
        version.set(current);
    }

    @Override
    public void batch(int size, long modelNanos, long[] queueNanos, int threads) {
        passes.computeIfAbsent(threads, t -> Counter.builder("ich.inference.forward.passes").tag("threads", Integer.toString(t))
                .description("forward passes by their libtorch intra-op threads (more than one: a pass alone on an idle pool)")
                .register(registry)).increment();
        batchSizes.record(size);
        forward.record(modelNanos, TimeUnit.NANOSECONDS);
        for (long q : queueNanos) queue.record(q, TimeUnit.NANOSECONDS);
    }
}
