package dev.ich.labeling.table;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.ich.core.contract.Topics;
import dev.ich.core.contract.Uids;
import dev.ich.core.event.Events;
import dev.ich.core.event.SliceCleaned;
import dev.ich.runtime.CloudEventHeaders;
import dev.ich.runtime.PoisonRecord;
import dev.ich.runtime.PoisonToDeadLetter;
import dev.ich.runtime.RecentEventIds;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * {@code slices-cleaned} into the table, a poll's worth of records per transaction. A record that is not
 * a slice row (bad JSON, a key that is not a UID, a row for another key) is nacked as a {@link PoisonRecord}:
 * the channel's {@link PoisonToDeadLetter} strategy puts it on {@code slices-cleaned-dlq} with the reason in
 * {@code dead-letter-reason}, and the rest of the batch goes on: one bad record never stops the table. A failing
 * database does stop the channel (health turns down):
 * nothing is lost, because the offsets live in the table and the next start resumes from them. Rows are upserted by
 * SOP Instance UID, so a repeated row changes nothing; a record whose CloudEvents id was written already is not even
 * written again (counted in {@code ich.events.repeated{topic="slices-cleaned"}}).
 */
@ApplicationScoped
public class SlicesConsumer {
    private static final Logger LOG = Logger.getLogger(SlicesConsumer.class);
    private static final ObjectReader EVENT = Events.reader(SliceCleaned.class);

    @Inject
    SliceTable table;

    private final Counter rows;
    private final Counter poisoned;
    private final RecentEventIds recent;

    @Inject
    public SlicesConsumer(MeterRegistry registry) {
        recent = RecentEventIds.counted(registry, "labeling", Topics.SLICES_CLEANED);
        rows = Counter.builder("ich.labeling.rows").description("slices-cleaned records written to the table")
                .register(registry);
        poisoned = Counter.builder("ich.labeling.dead.letters")
                .description("slices-cleaned records sent to the dead-letter topic").register(registry);
    }

    @Incoming(Topics.SLICES_CLEANED)
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<SliceCleaned> events = new ArrayList<>();
        List<SliceTable.Position> positions = new ArrayList<>();
        List<String> tombstones = new ArrayList<>();
        List<CompletableFuture<Void>> dead = new ArrayList<>();
        List<Optional<String>> claimed = new ArrayList<>();
        for (KafkaRecord<String, String> r : batch) {
            positions.add(new SliceTable.Position(r.getTopic(), r.getPartition(), offset(r)));
            if (r.getPayload() == null && r.getKey() != null) {
                tombstones.add(r.getKey()); // compaction's delete marker: the slice is gone
                continue;
            }
            Optional<String> id = CloudEventHeaders.id(r.getHeaders());
            if (!recent.claim(id, r.getKey())) continue; // its offset still moves on with the batch
            claimed.add(id);
            try {
                events.add(parse(r.getKey(), r.getPayload()));
            } catch (IllegalArgumentException e) {
                dead.add(deadLetter(r, e.getMessage()));
            }
        }
        // The dead letters must be on their topic before the offsets move past them.
        try {
            CompletableFuture.allOf(dead.toArray(CompletableFuture[]::new)).join();
            table.upsert(events, tombstones, positions);
        } catch (RuntimeException e) {
            claimed.forEach(recent::forget); // not written: the redelivered copies must be
            throw e;
        }
        rows.increment(events.size());
        return batch.ack();
    }

    /** The record's offset, which the database keeps as where consumption continues (the prediction table's too). */
    public static long offset(KafkaRecord<String, String> r) {
        return r.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
                .orElseThrow(() -> new IllegalStateException("an incoming Kafka record without its offset"));
    }

    static SliceCleaned parse(String key, String json) {
        if (json == null || json.isBlank()) throw new IllegalArgumentException("empty slices-cleaned message");
        SliceCleaned e;
        try {
            e = EVENT.readValue(json);
        } catch (Exception ex) {
            throw new IllegalArgumentException("not a slices-cleaned row: " + ex.getMessage().lines().findFirst().orElse(""));
        }
        if (e.sopInstanceUid() == null) throw new IllegalArgumentException("slices-cleaned row without sopInstanceUid");
        Uids.require("SOPInstanceUID", e.sopInstanceUid());
        if (key != null && !key.equals(e.sopInstanceUid())) {
            throw new IllegalArgumentException("record key " + key + " is not the row's SOP Instance UID " + e.sopInstanceUid());
        }
        return e;
    }

    /** Nacked as a {@link PoisonRecord}: SmallRye's dead-letter handler sends it; the stage completes once the broker has it. */
    private CompletableFuture<Void> deadLetter(KafkaRecord<String, String> r, String reason) {
        poisoned.increment();
        LOG.warnf("slices-cleaned %d/%d to the dead-letter topic: %s", r.getPartition(), offset(r), reason);
        return r.nack(new PoisonRecord(reason)).toCompletableFuture();
    }
}
