package dev.ich.inference.export;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.core.event.ResultExported;
import dev.ich.runtime.CloudEventHeaders;
import dev.ich.runtime.PublishedEvents;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code results-exported} (one record per object a destination stored) and its dead-letter topic (objects given up,
 * reason in {@code dead-letter-reason} as in every ich dead letter), keyed by the object key. Both wait for the broker:
 * the outbox record is deleted only once its event is out.
 */
@ApplicationScoped
public class ExportEvents {
    static final String SOURCE = "/ich/inference";
    static final String REASON_HEADER = "dead-letter-reason";
    static final String TOPIC_HEADER = "dead-letter-topic";
    /** The dead-letter channel: an annotation needs a constant, Topics.deadLetter(RESULTS_EXPORTED) is a call. */
    static final String DEAD_LETTER_CHANNEL = "results-exported-dlq";

    @Inject
    @Channel(Topics.RESULTS_EXPORTED)
    Emitter<String> exported;

    @Inject
    @Channel(DEAD_LETTER_CHANNEL)
    Emitter<String> deadLetters;

    void sent(ResultExported event) throws Exception {
        PublishedEvents.sendAndWait(exported, SOURCE, ResultExported.TYPE, event.objectKey(), event, event.sentAt());
    }

    void deadLetter(ResultExported event, String reason) throws Exception {
        RecordHeaders headers = CloudEventHeaders.of(SOURCE, ResultExported.TYPE, event.objectKey(), Instant.now());
        CloudEventHeaders.add(headers, REASON_HEADER, reason);
        CloudEventHeaders.add(headers, TOPIC_HEADER, Topics.RESULTS_EXPORTED);
        CloudEventHeaders.add(headers, "dead-letter-destination", event.destination());
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> message = Message.of(Events.JSON.writeValueAsString(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.objectKey()).withHeaders(headers).build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(t -> {
                    acked.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                });
        deadLetters.send(message);
        acked.get(PublishedEvents.ACK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
