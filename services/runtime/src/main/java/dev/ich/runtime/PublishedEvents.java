package dev.ich.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ich.core.event.CloudEvents;
import dev.ich.core.event.Events;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one way an ich service sends an event: a keyed JSON record with the CloudEvents binary-mode headers
 * (docs/architecture.md, "Events"), through a SmallRye {@link MutinyEmitter} whose {@code sendMessage} completes when
 * the broker acknowledged. {@link #publish} leaves the waiting to the caller (a cleaning worker moves on, a STOW-RS
 * request awaits all its instances together); {@link #sendAndWait} is for an announcement that follows a stored object,
 * where the caller must know the event went out before it answers.
 */
public final class PublishedEvents {
    /** How long {@link #sendAndWait(MutinyEmitter, Event)} waits before the caller is told the send failed. */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    private PublishedEvents() {
    }

    /**
     * One event to send. {@code id} is the CloudEvents id: a fresh one from {@link #event}, or, via {@link #withId}, the
     * id of a first try that a caller repeats after a failure (the broker may have taken that one, and consumers skip a
     * repeated id). {@code key} is the Kafka record key, and {@code subject} the CloudEvents subject: the key too, unless
     * {@link #withSubject} says otherwise (the audit topic is keyed by the caller, its subject is the action).
     */
    public record Event(String id, String source, String type, String key, String subject, Object payload, Instant time,
            Map<String, String> extraHeaders) {
        public Event {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(time, "time");
            extraHeaders = Map.copyOf(extraHeaders);
        }

        /** The same event under CloudEvents id {@code id}: a retry sends its first try's id again. */
        public Event withId(String id) {
            return new Event(id, source, type, key, subject, payload, time, extraHeaders);
        }

        /** The same event with CloudEvents subject {@code subject} (the key stays the record's key). */
        public Event withSubject(String subject) {
            return new Event(id, source, type, key, subject, payload, time, extraHeaders);
        }

        /** The same event with one more header beside the CloudEvents ones (a dead letter's reason, say). */
        public Event withHeader(String name, String value) {
            Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
            headers.put(name, value);
            return new Event(id, source, type, key, subject, payload, time, headers);
        }
    }

    /** An event of this service ({@link #source()}) with a fresh CloudEvents id. */
    public static Event event(String type, String key, Object payload, Instant time) {
        return new Event(CloudEvents.newId(), source(), type, key, key, payload, time, Map.of());
    }

    /**
     * This service's CloudEvents source, {@code /ich/<service>}, from {@code quarkus.application.name} without its
     * {@code ich-} prefix: one rule for every event a service sends, the audit records included.
     */
    public static String source() {
        return sourceOf(ConfigProvider.getConfig().getOptionalValue("quarkus.application.name", String.class).orElse("ich"));
    }

    static String sourceOf(String applicationName) {
        return "/ich/" + applicationName.replaceFirst("^ich-", "");
    }

    /**
     * Sends {@code event}; the Uni completes once the broker acknowledged and fails when it refuses. Nothing is sent
     * until the Uni is subscribed to. A payload that cannot be written as JSON throws at once
     * ({@link IllegalArgumentException}): it is the caller's defect, not the broker's.
     */
    public static Uni<Void> publish(MutinyEmitter<String> emitter, Event event) {
        return emitter.sendMessage(message(event));
    }

    /** {@link #publish} and wait for the acknowledgement, at most {@link #ACK_TIMEOUT}. */
    public static void sendAndWait(MutinyEmitter<String> emitter, Event event) {
        sendAndWait(emitter, event, ACK_TIMEOUT);
    }

    /** {@link #publish} and wait for the acknowledgement, at most {@code timeout}; throws when it does not come. */
    public static void sendAndWait(MutinyEmitter<String> emitter, Event event, Duration timeout) {
        publish(emitter, event).await().atMost(timeout);
    }

    static Message<String> message(Event event) {
        String json;
        try {
            json = Events.JSON.writeValueAsString(event.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the " + event.type() + " event about " + event.key() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
        RecordHeaders headers = CloudEventHeaders.of(event.id(), event.source(), event.type(), event.subject(), event.time());
        event.extraHeaders().forEach((name, value) -> CloudEventHeaders.add(headers, name, value));
        return Message.of(json)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).withHeaders(headers).build());
    }
}
