package dev.ich.labeling.datasets;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.runtime.CloudEventHeaders;
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

/** Sends {@code datasets-published}, keyed by dataset id, with CloudEvents headers; returns once the broker has it. */
@ApplicationScoped
public class DatasetPublisher {
    static final String SOURCE = "/ich/labeling";

    @Inject
    @Channel(Topics.DATASETS_PUBLISHED)
    Emitter<String> emitter;

    public void publish(DatasetPublished dataset) throws Exception {
        RecordHeaders headers = CloudEventHeaders.of(SOURCE, DatasetPublished.TYPE, dataset.id(), Instant.now());
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

}
