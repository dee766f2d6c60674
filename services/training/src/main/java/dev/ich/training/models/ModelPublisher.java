package dev.ich.training.models;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.ModelPublished;
import dev.ich.runtime.PublishedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Sends {@code models-published}, keyed by model name, with CloudEvents headers; returns once the broker has it. */
@ApplicationScoped
public class ModelPublisher {
    static final String SOURCE = "/ich/training";

    @Inject
    @Channel(Topics.MODELS_PUBLISHED)
    Emitter<String> emitter;

    public void publish(ModelPublished model) throws Exception {
        PublishedEvents.sendAndWait(emitter, SOURCE, ModelPublished.TYPE, model.name(), model, model.promotedAt());
    }
}
