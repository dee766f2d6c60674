package dev.ich.cleaning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ich.cleaning.CleaningMetrics.Stage;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.DicomIngested;
import dev.ich.core.event.Events;
import dev.ich.core.event.SliceCleaned;
import dev.ich.runtime.CloudEventHeaders;
import dev.ich.runtime.RecentEventIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code dicom-ingested} in, a cleaned slice out. Runs on the bounded {@value #WORKERS} pool, several
 * messages at once and out of order (the throttled commit strategy commits an offset only when every
 * earlier one is done). The message is acknowledged when the returned stage completes, that is after the
 * PNG is stored and the broker took the row; any exception or failed stage nacks it, and the dead-letter strategy moves it to
 * {@code dicom-ingested-dlq} with the exception's message as {@code dead-letter-reason}. An event whose CloudEvents id
 * was cleaned already (ingest's retry of an event Kafka had taken after all) is acknowledged and skipped, counted in
 * {@code ich.events.repeated{topic="dicom-ingested"}}.
 */
@ApplicationScoped
public class IngestedProcessor {
    static final String WORKERS = "cleaning-workers";

    @Inject
    SliceCleaner cleaner;

    @Inject
    Pipelines pipelines;

    @Inject
    CleanedPublisher publisher;

    @Inject
    CleaningMetrics metrics;

    private final RecentEventIds recent;

    @Inject
    public IngestedProcessor(MeterRegistry registry) {
        recent = RecentEventIds.counted(registry, "cleaning", Topics.DICOM_INGESTED);
    }

    @Incoming(Topics.DICOM_INGESTED)
    @Blocking(value = WORKERS, ordered = false)
    public CompletionStage<Void> clean(ConsumerRecord<String, String> record) {
        Optional<String> id = CloudEventHeaders.id(record.headers());
        if (!recent.claim(id, record.key())) return CompletableFuture.completedFuture(null);
        try {
            SliceCleaned result = cleaner.clean(RawSlice.of(parse(record.value())), pipelines.current());
            long t0 = System.nanoTime();
            // The worker moves on to the next slice while the broker acknowledges this row: waiting for
            // the ack on the worker cost about a third of the time per slice.
            return publisher.publish(result).whenComplete((ok, failure) -> {
                metrics.stage(Stage.PUBLISH, System.nanoTime() - t0);
                if (failure != null) recent.forget(id);
            });
        } catch (RuntimeException e) {
            recent.forget(id);
            throw e;
        }
    }

    /** Tolerant of fields it does not know: ingest may add one without every consumer dead-lettering everything. */
    private static final ObjectReader EVENT = Events.reader(DicomIngested.class);

    static DicomIngested parse(String json) {
        if (json == null) throw new IllegalArgumentException("empty dicom-ingested message");
        try {
            return EVENT.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a dicom-ingested event: " + e.getOriginalMessage());
        }
    }
}
