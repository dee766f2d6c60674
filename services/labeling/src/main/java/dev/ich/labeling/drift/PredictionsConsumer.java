package dev.ich.labeling.drift;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.ich.core.contract.Topics;
import dev.ich.core.contract.Uids;
import dev.ich.core.event.Events;
import dev.ich.core.event.SlicePrediction;
import dev.ich.labeling.table.SliceTable;
import dev.ich.labeling.table.SlicesConsumer;
import dev.ich.runtime.CloudEventHeaders;
import dev.ich.runtime.PoisonRecord;
import dev.ich.runtime.RecentEventIds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code predictions} into the {@link PredictionTable}, a poll per transaction, as the slice table takes
 * {@code slices-cleaned}: a record that is not a slice prediction goes to {@code predictions-dlq} with the reason in
 * {@code dead-letter-reason}; a failing database stops the channel (offsets are in the database, nothing is lost).
 */
@ApplicationScoped
public class PredictionsConsumer {
    private static final Logger LOG = Logger.getLogger(PredictionsConsumer.class);
    private static final ObjectReader EVENT = Events.reader(SlicePrediction.class);

    @Inject
    PredictionTable table;

    private final Counter stored;
    private final Counter poisoned;
    private final RecentEventIds recent;

    @Inject
    public PredictionsConsumer(MeterRegistry registry) {
        recent = RecentEventIds.counted(registry, "labeling", Topics.PREDICTIONS);
        stored = Counter.builder("ich.labeling.predictions").description("predictions records taken into the prediction table")
                .register(registry);
        poisoned = Counter.builder("ich.labeling.predictions.dead.letters")
                .description("predictions records sent to the dead-letter topic").register(registry);
    }

    @Incoming(Topics.PREDICTIONS)
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<PredictionTable.Received> records = new ArrayList<>();
        List<SliceTable.Position> positions = new ArrayList<>();
        List<CompletableFuture<Void>> dead = new ArrayList<>();
        List<Optional<String>> claimed = new ArrayList<>();
        for (KafkaRecord<String, String> r : batch) {
            long offset = SlicesConsumer.offset(r);
            positions.add(new SliceTable.Position(r.getTopic(), r.getPartition(), offset));
            Optional<String> id = CloudEventHeaders.id(r.getHeaders());
            if (!recent.claim(id, r.getKey())) continue;
            claimed.add(id);
            try {
                records.add(new PredictionTable.Received(id.orElse(r.getTopic() + "/" + r.getPartition() + "/" + offset),
                        parse(r.getKey(), r.getPayload())));
            } catch (IllegalArgumentException e) {
                poisoned.increment();
                LOG.warnf("predictions %d/%d to the dead-letter topic: %s", r.getPartition(), offset, e.getMessage());
                dead.add(r.nack(new PoisonRecord(e.getMessage())).toCompletableFuture());
            }
        }
        try {
            CompletableFuture.allOf(dead.toArray(CompletableFuture[]::new)).join();
            table.insert(records, positions);
        } catch (RuntimeException e) {
            claimed.forEach(recent::forget);
            throw e;
        }
        stored.increment(records.size());
        return batch.ack();
    }

    static SlicePrediction parse(String key, String json) {
        if (json == null || json.isBlank()) throw new IllegalArgumentException("empty predictions message");
        SlicePrediction p;
        try {
            p = EVENT.readValue(json);
        } catch (Exception ex) {
            throw new IllegalArgumentException("not a slice prediction: " + ex.getMessage().lines().findFirst().orElse(""));
        }
        if (p.sopInstanceUid() == null) throw new IllegalArgumentException("slice prediction without sopInstanceUid");
        Uids.require("SOPInstanceUID", p.sopInstanceUid());
        if (key != null && !key.equals(p.sopInstanceUid())) {
            throw new IllegalArgumentException("record key " + key + " is not the prediction's SOP Instance UID " + p.sopInstanceUid());
        }
        if (p.model() == null || p.model().name() == null || p.model().version() == null) {
            throw new IllegalArgumentException("slice prediction of " + p.sopInstanceUid() + " names no model name and version");
        }
        if (p.predictedAt() == null) throw new IllegalArgumentException("slice prediction of " + p.sopInstanceUid() + " has no predictedAt");
        return p;
    }
}
