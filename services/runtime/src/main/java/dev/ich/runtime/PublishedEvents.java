package dev.ich.runtime;

import dev.ich.core.event.CloudEvents;
import dev.ich.core.event.Events;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one keyed JSON event with CloudEvents headers and returns once the broker has it: for announcements
 * that follow a stored object (a dataset version, a promoted model), where the caller must know the event
 * went out before it answers.
 */
public final class PublishedEvents {
    /** How long a send may take before the caller is told it failed. */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    private PublishedEvents() {
    }

    /** Serialises {@code payload}, keys it, adds the CloudEvents headers (a fresh id) and waits for the broker's acknowledgement. */
    public static void sendAndWait(Emitter<String> emitter, String source, String type, String key, Object payload, Instant time)
            throws Exception {
        sendAndWait(emitter, CloudEvents.newId(), source, type, key, payload, time);
    }

    /**
     * As {@link #sendAndWait(Emitter, String, String, String, Object, Instant)} for event {@code id}: a caller that tries
     * an event again after a failure passes the id of its first try, since the broker may have taken that one.
     */
    public static void sendAndWait(Emitter<String> emitter, String id, String source, String type, String key, Object payload,
            Instant time) throws Exception {
        RecordHeaders headers = CloudEventHeaders.of(id, source, type, key, time);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> message = Message.of(Events.JSON.writeValueAsString(payload))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(t -> {
                    acked.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        acked.get(ACK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
