package dev.ich.ingest;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.DicomIngested;
import dev.ich.runtime.PublishedEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends {@code dicom-ingested}: keyed by SOP Instance UID, JSON payload, CloudEvents binary-mode
 * headers with the event's id, which the caller chose once when the instance was stored and passes again
 * on every retry. {@link #send} returns only once the broker acknowledged, so a caller knows the event exists.
 */
@ApplicationScoped
public class IngestedPublisher {
    @Inject
    IngestConfig config;

    @Inject
    @Channel(Topics.DICOM_INGESTED)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> emitter;

    /** Publishes event {@code id} and waits for the acknowledgement; throws when the broker refuses or does not answer in time. */
    public void send(DicomIngested event, String id) {
        send(event, id, config.publish().ackTimeout());
    }

    /** As {@link #send(DicomIngested, String)}, waiting at most {@code timeout} (DIMSE: its sender is waiting too). */
    public void send(DicomIngested event, String id, Duration timeout) {
        publish(event, id).await().atMost(timeout);
    }

    /**
     * Publishes without blocking the caller: the future completes once the broker acknowledged, and fails when it refuses
     * or has not acknowledged within {@code timeout}. A STOW-RS request sends the events of all its instances so, and
     * awaits the acknowledgements together.
     */
    public CompletableFuture<Void> sendAsync(DicomIngested event, String id, Duration timeout) {
        return publish(event, id).ifNoItem().after(timeout).fail().subscribeAsCompletionStage();
    }

    private Uni<Void> publish(DicomIngested event, String id) {
        return PublishedEvents.publish(emitter,
                PublishedEvents.event(DicomIngested.TYPE, event.sopInstanceUid(), event, event.receivedAt()).withId(id));
    }
}
