package dev.ich.cleaning;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.CloudEvents;
import dev.ich.core.event.Events;
import dev.ich.core.event.SliceCleaned;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Sends {@code slices-cleaned}: keyed by SOP Instance UID (the topic is compacted, so the latest row per
 * slice wins), JSON payload, CloudEvents headers. {@link #send} returns only once the broker acknowledged:
 * the caller's offset may then be committed.
 */
@ApplicationScoped
public class CleanedPublisher {
    static final String SOURCE = "/ich/cleaning";

    @Inject
    @Channel(Topics.SLICES_CLEANED)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;

    @Inject
    CleaningConfig config;

    public void send(SliceCleaned event) {
        String json;
        try {
            json = Events.JSON.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise the row of " + event.sopInstanceUid() + ": " + e.getMessage(), e);
        }
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEvents.SPEC_VERSION, CloudEvents.VERSION_1_0);
        header(headers, CloudEvents.ID, UUID.randomUUID().toString());
        header(headers, CloudEvents.SOURCE, SOURCE);
        header(headers, CloudEvents.TYPE, SliceCleaned.TYPE);
        header(headers, CloudEvents.SUBJECT, event.sopInstanceUid());
        header(headers, CloudEvents.TIME, Instant.now().toString());
        header(headers, CloudEvents.CONTENT_TYPE, CloudEvents.JSON);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.sopInstanceUid()).withHeaders(headers).build();
        emitter.sendMessage(Message.of(json).addMetadata(metadata)).await().atMost(config.publishTimeout());
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
