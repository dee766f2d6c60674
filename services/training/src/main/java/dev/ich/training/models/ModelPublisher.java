package dev.ich.training.models;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.core.event.ModelPublished;
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

/** Sends {@code models-published}, keyed by model name, with CloudEvents headers; returns once the broker has it. */
@ApplicationScoped
public class ModelPublisher {
    static final String SOURCE = "/ich/training";

    @Inject
    @Channel(Topics.MODELS_PUBLISHED)
    Emitter<String> emitter;

    public void publish(ModelPublished model) throws Exception {
        RecordHeaders headers = CloudEventHeaders.of(SOURCE, ModelPublished.TYPE, model.name(), model.promotedAt());
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> message = Message.of(Events.JSON.writeValueAsString(model))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(model.name()).withHeaders(headers).build())
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
