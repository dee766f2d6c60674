package dev.ich.inference.export;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.Events;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The outbox records in the bucket: the only truth about what is still to be sent, so a restart loses nothing. */
final class Outbox {
    private static final String JSON = "application/json";

    private final ObjectStore store;

    Outbox(ObjectStore store) {
        this.store = store;
    }

    String key(OutboxRecord r) {
        return ObjectKeys.exportOutboxRecord(r.destination(), r.id());
    }

    /** Writes (or rewrites) one record; returns once the bucket has it. */
    void put(OutboxRecord r) {
        try {
            store.put(key(r), Events.JSON.writeValueAsBytes(r), JSON, Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("outbox record " + r.id() + " cannot be written as JSON", e);
        }
    }

    /** The record under {@code key}, or empty when it is gone (sent and deleted meanwhile). */
    Optional<OutboxRecord> read(String key) {
        if (store.stat(key).isEmpty()) return Optional.empty();
        try {
            return Optional.of(Events.JSON.readValue(store.get(key), OutboxRecord.class));
        } catch (IOException e) {
            throw new UncheckedIOException("outbox record " + key + " is not JSON", e);
        }
    }

    void delete(OutboxRecord r) {
        store.delete(key(r));
    }

    /** What one listing of a destination's outbox found: the first {@code limit} keys in queue order, and how many there are. */
    record Listing(List<String> head, long count) {
    }

    Listing list(String destination, int limit) {
        List<String> head = new ArrayList<>();
        long count = 0;
        // S3 lists keys in byte order, which is queue order for our ids: the first keys listed are the oldest.
        for (StoredObject o : store.list(ObjectKeys.exportOutbox(destination))) {
            if (!o.key().endsWith(".json")) continue;
            if (head.size() < limit) head.add(o.key());
            count++;
        }
        head.sort(null);
        return new Listing(head, count);
    }
}
