package dev.ich.labeling.datasets;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.DatasetPublished;
import dev.ich.runtime.PublishedEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Instant;

/** Sends {@code datasets-published}, keyed by dataset id, with CloudEvents headers; returns once the broker has it. */
@ApplicationScoped
public class DatasetPublisher {
    @Inject
    @Channel(Topics.DATASETS_PUBLISHED)
    MutinyEmitter<String> emitter;

    public void publish(DatasetPublished dataset) {
        PublishedEvents.sendAndWait(emitter, PublishedEvents.event(DatasetPublished.TYPE, dataset.id(), dataset, Instant.now()));
    }
}
