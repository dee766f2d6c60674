package dev.ich.training.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.core.event.TrainingEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Set;

/**
 * {@code training-events} into the jobs' state. Idempotent: an event applied twice (a redelivery after a restart,
 * the committed offset being older than the last one applied) changes nothing (see {@link Job#apply}). A record
 * that is not a training event goes to {@code training-events-dlq} with the reason (failure strategy in
 * application.properties) and the channel goes on.
 */
@ApplicationScoped
public class TrainingEventsConsumer {
    private static final Set<String> KINDS = Set.of(TrainingEvent.STARTED, TrainingEvent.PROGRESS, TrainingEvent.EPOCH,
            TrainingEvent.COMPLETED, TrainingEvent.FAILED);

    @Inject
    Jobs jobs;

    @Incoming(Topics.TRAINING_EVENTS)
    @Blocking
    public void consume(String payload) throws JsonProcessingException {
        TrainingEvent e = Events.JSON.readValue(payload, TrainingEvent.class);
        if (e.jobId() == null || e.kind() == null || !KINDS.contains(e.kind())) {
            throw new IllegalArgumentException("not a training event (jobId and a known kind are required): " + payload);
        }
        jobs.onEvent(e);
    }
}
