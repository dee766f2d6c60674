package dev.ich.labeling.datasets;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.CloudEvents;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Sends {@code datasets-published}, keyed by dataset id, with CloudEvents headers; returns once the broker has it. */
@ApplicationScoped
public class DatasetPublisher {
    static final String SOURCE = "/ich/labeling";

    @Inject
    @Channel(Topics.DATASETS_PUBLISHED)
    Emitter<String> emitter;

    public void publish(DatasetPublished dataset) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEvents.SPEC_VERSION, CloudEvents.VERSION_1_0);
        header(headers, CloudEvents.ID, UUID.randomUUID().toString());
        header(headers, CloudEvents.SOURCE, SOURCE);
        header(headers, CloudEvents.TYPE, DatasetPublished.TYPE);
        header(headers, CloudEvents.SUBJECT, dataset.id());
        header(headers, CloudEvents.TIME, Instant.now().toString());
        header(headers, CloudEvents.CONTENT_TYPE, CloudEvents.JSON);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> message = Message.of(Events.JSON.writeValueAsString(dataset))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(dataset.id()).withHeaders(headers).build())
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(t -> {
                    acked.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        acked.get(60, TimeUnit.SECONDS);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
