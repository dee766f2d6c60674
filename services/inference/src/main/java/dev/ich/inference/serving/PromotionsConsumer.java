package dev.ich.inference.serving;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.core.event.ModelPublished;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.ich.runtime.CloudEventHeaders;
import dev.ich.runtime.RecentEventIds;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * {@code models-published}: load the promoted version in the background (this consumer's thread, never a request's)
 * and swap. A record that is not a promotion, or names a version that cannot be served, goes to
 * {@code models-published-dlq} with the reason in a header; the current model keeps serving and the channel goes on.
 */
@ApplicationScoped
public class PromotionsConsumer {
    static final String REASON_HEADER = "dead-letter-reason";
    private static final Logger LOG = Logger.getLogger(PromotionsConsumer.class);
    private static final ObjectReader EVENT = Events.JSON.readerFor(ModelPublished.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Inject
    Serving serving;

    @Inject
    @Channel("models-published-dlq")
    Emitter<String> deadLetters;

    private final Counter poisoned;
    private final RecentEventIds recent;

    @Inject
    public PromotionsConsumer(MeterRegistry registry) {
        Counter repeated = Counter.builder("ich.events.repeated").tag("topic", Topics.MODELS_PUBLISHED)
                .description("events skipped because their CloudEvents id was processed already").register(registry);
        recent = new RecentEventIds("inference", RecentEventIds.DEFAULT_CAPACITY, repeated::increment);
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
        deadLetter(record, reason);
        return record.ack();
    }

    private void deadLetter(KafkaRecord<String, String> r, String reason) {
        poisoned.increment();
        LOG.warnf("models-published %s to the dead-letter topic: %s", r.getKey(), reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", r.getTopic().getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", Integer.toString(r.getPartition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(r.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L)).getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(r.getKey()).withHeaders(headers).build();
        deadLetters.send(Message.of(r.getPayload() == null ? "" : r.getPayload()).addMetadata(metadata));
    }
}
