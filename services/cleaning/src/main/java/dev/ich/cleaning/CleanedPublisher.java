package dev.ich.cleaning;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.SliceCleaned;
import dev.ich.runtime.PublishedEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Sends {@code slices-cleaned}: keyed by SOP Instance UID (the topic is compacted, so the latest row per
 * slice wins), JSON payload, CloudEvents headers. {@link #publish} completes when the broker acknowledged
 * (then the caller's offset may be committed); a worker thread need not wait for that.
 */
@ApplicationScoped
public class CleanedPublisher {
    @Inject
    @Channel(Topics.SLICES_CLEANED)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;

    @Inject
    CleaningConfig config;

    /** Publishes and waits for the acknowledgement (reprocess runs on their own threads). */
    public void send(SliceCleaned event) {
        publish(event).toCompletableFuture().join();
    }

    /** Completes once the broker acknowledged; fails when it refuses or does not answer within the publish timeout. */
    public CompletionStage<Void> publish(SliceCleaned event) {
        return PublishedEvents.publish(emitter,
                        PublishedEvents.event(SliceCleaned.TYPE, event.sopInstanceUid(), event, Instant.now()))
                .ifNoItem().after(config.publishTimeout()).fail().subscribeAsCompletionStage();
    }
}
