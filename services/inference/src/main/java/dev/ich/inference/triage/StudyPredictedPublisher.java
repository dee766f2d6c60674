package dev.ich.inference.triage;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.StudyPredicted;
import dev.ich.runtime.PublishedEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** {@code study-predicted}, keyed by Study Instance UID; returns once the broker has it. */
@ApplicationScoped
public class StudyPredictedPublisher {
    @Inject
    @Channel(Topics.STUDY_PREDICTED)
    MutinyEmitter<String> emitter;

    public void publish(StudyPredicted event) {
        try {
            PublishedEvents.sendAndWait(emitter,
                    PublishedEvents.event(StudyPredicted.TYPE, event.studyInstanceUid(), event, event.predictedAt()));
        } catch (RuntimeException e) {
            throw new IllegalStateException("study-predicted for " + event.studyInstanceUid() + " not acknowledged: " + e.getMessage(), e);
        }
    }
}
