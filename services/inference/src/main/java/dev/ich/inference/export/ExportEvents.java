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
    /**
     * The CloudEvents id of a record's event ({@code outcome}: sent or dead): derived from the outbox record, which keeps
     * it across tries and restarts, so a publish tried again after a lost acknowledgement is the same event.
     */
    static String eventId(OutboxRecord r, String outcome) {
        return java.util.UUID.nameUUIDFromBytes(("results-exported/" + r.destination() + "/" + r.id() + "/" + outcome)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

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

    /** Event {@code id}: the outbox record's, the same at every try (see {@link #eventId}). */
    void sent(ResultExported event, String id) throws Exception {
        PublishedEvents.sendAndWait(exported, id, SOURCE, ResultExported.TYPE, event.objectKey(), event, event.sentAt());
    }

    void deadLetter(ResultExported event, String reason, String id) throws Exception {
        RecordHeaders headers = CloudEventHeaders.of(id, SOURCE, ResultExported.TYPE, event.objectKey(), Instant.now());
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
