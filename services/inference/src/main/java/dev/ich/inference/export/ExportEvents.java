package dev.ich.inference.export;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.ResultExported;
import dev.ich.runtime.PublishedEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code results-exported} (one record per object a destination stored) and its dead-letter topic (objects given up,
 * reason in {@code dead-letter-reason} as in every ich dead letter), keyed by the object key. Both wait for the broker:
 * the outbox record is deleted only once its event is out. These dead letters are not a consumer's poison records
 * (those go through SmallRye's failure strategy) but sends the export gave up, so export publishes them itself.
 */
@ApplicationScoped
public class ExportEvents {
    static final String REASON_HEADER = "dead-letter-reason";
    static final String TOPIC_HEADER = "dead-letter-topic";

    /**
     * The CloudEvents id of a record's event ({@code outcome}: sent or dead): derived from the outbox record, which keeps
     * it across tries and restarts, so a publish tried again after a lost acknowledgement is the same event.
     */
    static String eventId(OutboxRecord r, String outcome) {
        return UUID.nameUUIDFromBytes(("results-exported/" + r.destination() + "/" + r.id() + "/" + outcome)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Inject
    @Channel(Topics.RESULTS_EXPORTED)
    MutinyEmitter<String> exported;

    @Inject
    @Channel(Topics.RESULTS_EXPORTED_DEAD_LETTERS)
    MutinyEmitter<String> deadLetters;

    /** Event {@code id}: the outbox record's, the same at every try (see {@link #eventId}). */
    void sent(ResultExported event, String id) {
        PublishedEvents.sendAndWait(exported, event(event, event.sentAt()).withId(id));
    }

    void deadLetter(ResultExported event, String reason, String id) {
        PublishedEvents.sendAndWait(deadLetters, event(event, Instant.now()).withId(id)
                .withHeader(REASON_HEADER, reason)
                .withHeader(TOPIC_HEADER, Topics.RESULTS_EXPORTED)
                .withHeader("dead-letter-destination", event.destination()));
    }

    private static PublishedEvents.Event event(ResultExported event, Instant time) {
        return PublishedEvents.event(ResultExported.TYPE, event.objectKey(), event, time);
    }
}
