package dev.ich.labeling.table;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ich.core.contract.Topics;
import dev.ich.core.contract.Uids;
import dev.ich.core.event.Events;
import dev.ich.core.event.SliceCleaned;
import dev.ich.runtime.CloudEventHeaders;
import dev.ich.runtime.RecentEventIds;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code slices-cleaned} into the table, a poll's worth of records per transaction. A record that is not
 * a slice row (bad JSON, a key that is not a UID, a row for another key) goes to
 * {@code slices-cleaned-dlq} with the reason in {@value #REASON_HEADER}, and the rest of the batch goes on:
 * one bad record never stops the table. A failing database does stop the channel (health turns down):
 * nothing is lost, because the offsets live in the table and the next start resumes from them. Rows are upserted by
 * SOP Instance UID, so a repeated row changes nothing; a record whose CloudEvents id was written already is not even
 * written again (counted in {@code ich.events.repeated{topic="slices-cleaned"}}).
 */
@ApplicationScoped
public class SlicesConsumer {
    static final String REASON_HEADER = "dead-letter-reason";
    private static final Logger LOG = Logger.getLogger(SlicesConsumer.class);
    private static final ObjectReader EVENT = Events.JSON.readerFor(SliceCleaned.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Inject
    SliceTable table;

    @Inject
    @Channel("slices-cleaned-dlq")
    Emitter<String> deadLetters;

    private final Counter rows;
    private final Counter poisoned;
    private final RecentEventIds recent;

    @Inject
    public SlicesConsumer(MeterRegistry registry) {
        Counter repeated = Counter.builder("ich.events.repeated").tag("topic", Topics.SLICES_CLEANED)
                .description("events skipped because their CloudEvents id was processed already").register(registry);
        recent = new RecentEventIds("labeling", RecentEventIds.DEFAULT_CAPACITY, repeated::increment);
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

    private static long offset(KafkaRecord<String, String> r) {
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

    private CompletableFuture<Void> deadLetter(KafkaRecord<String, String> r, String reason) {
        poisoned.increment();
        LOG.warnf("slices-cleaned %d/%d to the dead-letter topic: %s", r.getPartition(), offset(r), reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", r.getTopic().getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", Integer.toString(r.getPartition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(offset(r)).getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Void> sent = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(r.getKey()).withHeaders(headers).build();
        deadLetters.send(Message.of(r.getPayload() == null ? "" : r.getPayload()).addMetadata(metadata)
                .withAck(() -> {
                    sent.complete(null);
                    return CompletableFuture.completedFuture(null);
                }).withNack(t -> {
                    sent.completeExceptionally(t);
                    return CompletableFuture.completedFuture(null);
                }));
        return sent;
    }
}
