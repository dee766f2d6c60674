package dev.ich.training.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.core.event.TrainingEvent;
import dev.ich.runtime.CloudEventHeaders;
import dev.ich.runtime.RecentEventIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Optional;
import java.util.Set;

/**
 * {@code training-events} into the jobs' state. Idempotent: an event applied twice (a redelivery after a restart,
 * the committed offset being older than the last one applied) changes nothing (see {@link Job#apply}). A record
 * that is not a training event goes to {@code training-events-dlq} with the reason (failure strategy in
 * application.properties) and the channel goes on. A record whose CloudEvents id was applied already is not even
 * applied again (counted in {@code ich.events.repeated{topic="training-events"}}).
 */
@ApplicationScoped
public class TrainingEventsConsumer {
    private static final ObjectReader EVENT = Events.reader(TrainingEvent.class);
    private static final Set<String> KINDS = Set.of(TrainingEvent.STARTED, TrainingEvent.PROGRESS, TrainingEvent.EPOCH,
            TrainingEvent.COMPLETED, TrainingEvent.FAILED);

    @Inject
    Jobs jobs;

    private final RecentEventIds recent;

    @Inject
    public TrainingEventsConsumer(MeterRegistry registry) {
        recent = RecentEventIds.counted(registry, "training", Topics.TRAINING_EVENTS);
    }

    @Incoming(Topics.TRAINING_EVENTS)
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws JsonProcessingException {
        Optional<String> id = CloudEventHeaders.id(record.headers());
        if (!recent.claim(id, record.key())) return;
        try {
            String payload = record.value();
            TrainingEvent e = EVENT.readValue(payload);
            if (e.jobId() == null || e.kind() == null || !KINDS.contains(e.kind())) {
                throw new IllegalArgumentException("not a training event (jobId and a known kind are required): " + payload);
            }
            jobs.onEvent(e);
        } catch (RuntimeException | JsonProcessingException ex) {
            recent.forget(id);
            throw ex;
        }
    }
}
