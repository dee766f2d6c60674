package dev.ich.inference.serving;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.core.event.ModelPublished;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.ich.runtime.CloudEventHeaders;
import dev.ich.runtime.PoisonRecord;
import dev.ich.runtime.RecentEventIds;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * {@code models-published}: load the promoted version in the background (this consumer's thread, never a request's)
 * and swap. A record that is not a promotion, or names a version that cannot be served, is nacked, and SmallRye's
 * dead-letter-queue strategy puts it on {@code models-published-dlq} with the reason in {@code dead-letter-reason}; the
 * current model keeps serving and the channel goes on.
 */
@ApplicationScoped
public class PromotionsConsumer {
    private static final Logger LOG = Logger.getLogger(PromotionsConsumer.class);
    private static final ObjectReader EVENT = Events.reader(ModelPublished.class);

    @Inject
    Serving serving;

    private final Counter poisoned;
    private final RecentEventIds recent;

    @Inject
    public PromotionsConsumer(MeterRegistry registry) {
        recent = RecentEventIds.counted(registry, "inference", Topics.MODELS_PUBLISHED);
        poisoned = Counter.builder("ich.inference.dead.letters").description("models-published records sent to the dead-letter topic")
                .register(registry);
    }

    @Incoming(Topics.MODELS_PUBLISHED)
    @Blocking
    public CompletionStage<Void> promoted(KafkaRecord<String, String> record) {
        if (!recent.claim(record.getMetadata(IncomingKafkaRecordMetadata.class).flatMap(m -> CloudEventHeaders.id(m.getHeaders())),
                record.getKey())) {
            return record.ack(); // served already, or dead-lettered already
        }
        String reason;
        try {
            ModelPublished event = EVENT.readValue(record.getPayload() == null ? "" : record.getPayload());
            if (event == null || event.name() == null || event.version() == null) {
                reason = "not a promotion: name and version are required";
            } else if (record.getKey() != null && !record.getKey().equals(event.name())) {
                reason = "record key " + record.getKey() + " is not the model name " + event.name();
            } else {
                serving.serve(event);
                return record.ack();
            }
        } catch (ModelLoader.ModelLoadException e) {
            reason = "cannot serve: " + e.getMessage();
        } catch (java.io.IOException e) {
            reason = "not a ModelPublished event: " + e.getMessage();
        } catch (RuntimeException e) {
            reason = "unexpected failure: " + e;
            LOG.error("models-published record failed", e);
        }
        return deadLetter(record, reason);
    }

    /** Nacked: the channel's dead-letter-queue strategy puts it on models-published-dlq, the reason in dead-letter-reason. */
    private CompletionStage<Void> deadLetter(KafkaRecord<String, String> r, String reason) {
        poisoned.increment();
        LOG.warnf("models-published %s to the dead-letter topic: %s", r.getKey(), reason);
        return r.nack(new PoisonRecord(reason));
    }
}
