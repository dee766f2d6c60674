package dev.ich.inference;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.SlicePrediction;
import dev.ich.core.event.StudyPredicted.ModelRef;
import dev.ich.core.event.StudyPredicted.OperatingPoint;
import dev.ich.inference.serving.Preprocessing;
import dev.ich.inference.serving.ServedModel;
import dev.ich.runtime.PublishedEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link SlicePrediction} per answered slice on {@code predictions}, keyed by SOP Instance UID. The answer never
 * waits for the broker: the record is queued and the caller moves on. At most {@code ich.inference.max-pending-predictions}
 * records wait for their acknowledgement; beyond that (the broker down or slow) a record is dropped rather than held,
 * and counted in {@code ich.inference.predictions.dropped{reason="full"}}; one the broker refuses is counted with
 * {@code reason="refused"}. Drift monitoring can miss a record; a prediction's answer is never slowed by more than
 * writing its JSON.
 */
@ApplicationScoped
public class PredictionsPublisher {
    private static final Logger LOG = Logger.getLogger(PredictionsPublisher.class);
    /** The emitter's own buffer: above any sensible pending limit, so the limit below decides, never an overflow. */
    static final int EMITTER_BUFFER = 16_384;

    @Inject
    @Channel(Topics.PREDICTIONS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = EMITTER_BUFFER)
    MutinyEmitter<String> emitter;

    private final AtomicInteger pending = new AtomicInteger();
    private final int maxPending;
    private final Counter published;
    private final Counter full;
    private final Counter refused;
    Clock clock = Clock.systemUTC();

    @Inject
    public PredictionsPublisher(MeterRegistry registry, InferenceConfig config) {
        maxPending = config.maxPendingPredictions();
        if (maxPending < 1 || maxPending > EMITTER_BUFFER) {
            throw new IllegalArgumentException("ich.inference.max-pending-predictions must be between 1 and " + EMITTER_BUFFER
                    + "; got " + maxPending);
        }
        published = Counter.builder("ich.inference.predictions.published").description("slice predictions the broker acknowledged")
                .register(registry);
        full = dropped(registry, "full");
        refused = dropped(registry, "refused");
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder("ich.inference.predictions.dropped").tag("reason", reason)
                .description("slice predictions not published: too many pending (full) or refused by the broker").register(registry);
    }

    /** Queues the record of one answered slice; returns at once, whatever the broker does. */
    public void publish(ServedModel model, Preprocessing.Prepared slice, Map<String, Double> probabilities, double latencyMs, String source) {
        if (slice.sopInstanceUid() == null) return; // nothing to key it by, nothing labeling could join
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            full.increment();
            return;
        }
        try {
            SlicePrediction record = record(model, slice, probabilities, latencyMs, source);
            PublishedEvents.publish(emitter, PublishedEvents.event(SlicePrediction.TYPE, record.sopInstanceUid(), record, record.predictedAt()))
                    .subscribe().with(acked -> {
                        pending.decrementAndGet();
                        published.increment();
                    }, failure -> {
                        pending.decrementAndGet();
                        refused.increment();
                        LOG.debugf("prediction of %s not published: %s", slice.sopInstanceUid(), failure.getMessage());
                    });
        } catch (RuntimeException e) {
            pending.decrementAndGet();
            refused.increment();
            LOG.debugf("prediction of %s not queued: %s", slice.sopInstanceUid(), e.getMessage());
        }
    }

    SlicePrediction record(ServedModel model, Preprocessing.Prepared slice, Map<String, Double> probabilities, double latencyMs,
                           String source) {
        Map<String, Double> thresholds = model.operatingPoint().map(OperatingPoint::thresholds).orElse(Map.of());
        Map<String, Boolean> positive = new LinkedHashMap<>();
        if (!thresholds.isEmpty()) {
            probabilities.forEach((label, p) -> {
                Double t = thresholds.get(label);
                if (t != null) positive.put(label, p >= t);
            });
        }
        return new SlicePrediction(new ModelRef(model.name(), model.version()), slice.studyInstanceUid(), slice.seriesInstanceUid(),
                slice.sopInstanceUid(), probabilities, thresholds, positive, slice.brainWindowPassed(), latencyMs, slice.subgroup(), source,
                clock.instant());
    }
}
