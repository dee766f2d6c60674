package dev.ich.training.models;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.ModelPublished;
import dev.ich.runtime.PublishedEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Sends {@code models-published}, keyed by model name, with CloudEvents headers; returns once the broker has it. */
@ApplicationScoped
public class ModelPublisher {
    @Inject
    @Channel(Topics.MODELS_PUBLISHED)
    MutinyEmitter<String> emitter;

    public void publish(ModelPublished model) {
        PublishedEvents.sendAndWait(emitter, PublishedEvents.event(ModelPublished.TYPE, model.name(), model, model.promotedAt()));
    }
}
