package dev.ich.inference.triage;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.ich.core.contract.Topics;
import dev.ich.core.contract.Uids;
import dev.ich.core.event.Events;
import dev.ich.core.event.StudyCompleted;
import dev.ich.runtime.CloudEventHeaders;
import dev.ich.runtime.RecentEventIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code study-completed}: triage the study on this consumer's thread (never a request's). A record that is not a
 * completion, or whose triage fails in a way a retry will not mend, is nacked and SmallRye's dead-letter strategy moves
 * it to {@code study-completed-dlq} with the reason in its {@code dead-letter-reason} header; the channel goes on.
 * Outcomes the study itself explains (no kept slice, no model, no operating point) are not failures: they are
 * {@code study-predicted} events with that outcome. A completion whose CloudEvents id was triaged already (ingest's
 * retry of an announcement Kafka had taken after all) is acknowledged and skipped: no second triage, no second export
 * (counted in {@code ich.events.repeated{topic="study-completed"}}).
 */
@ApplicationScoped
public class StudyCompletedConsumer {
    private static final Logger LOG = Logger.getLogger(StudyCompletedConsumer.class);
    private static final ObjectReader EVENT = Events.reader(StudyCompleted.class);

    @Inject
    StudyTriage triage;

    private final RecentEventIds recent;

    @Inject
    public StudyCompletedConsumer(MeterRegistry registry) {
        recent = RecentEventIds.counted(registry, "inference", Topics.STUDY_COMPLETED);
    }

    @Incoming(Topics.STUDY_COMPLETED)
    @Blocking(ordered = false)
    public CompletionStage<Void> completed(KafkaRecord<String, String> record) {
        StudyCompleted event;
        try {
            event = EVENT.readValue(record.getPayload() == null ? "" : record.getPayload());
        } catch (java.io.IOException e) {
            return record.nack(new IllegalArgumentException("not a StudyCompleted event: " + e.getMessage()));
        }
        if (event == null || event.studyInstanceUid() == null) {
            return record.nack(new IllegalArgumentException("not a StudyCompleted event: studyInstanceUid is required"));
        }
        try {
            Uids.require("StudyInstanceUID", event.studyInstanceUid());
        } catch (IllegalArgumentException e) {
            return record.nack(e);
        }
        Optional<String> id = record.getMetadata(IncomingKafkaRecordMetadata.class).flatMap(m -> CloudEventHeaders.id(m.getHeaders()));
        if (!recent.claim(id, event.studyInstanceUid())) return record.ack();
        try {
            triage.triage(event);
            return record.ack();
        } catch (RuntimeException e) {
            recent.forget(id);
            LOG.errorf(e, "triage of study %s failed", event.studyInstanceUid());
            return record.nack(e);
        }
    }
}
