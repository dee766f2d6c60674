package dev.ich.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CloudEvents ids a consumer has acted on lately, so an event that arrives again (a producer's retry sends the same
 * id: docs/ingest.md, "Events") is skipped, with a debug line and {@code onRepeat} (each consumer's counter,
 * {@code ich.events.repeated}). Bounded:
 * the last {@code capacity} ids, the oldest forgotten first. In memory only: repeats come within minutes of the first
 * copy; across a restart of the consumer its idempotence by key is what holds (each consumer's doc says which).
 */
public final class RecentEventIds {
    /** Ids kept by default: well past what an outage's retries repeat, a few MiB. */
    public static final int DEFAULT_CAPACITY = 50_000;
    private static final Logger LOG = Logger.getLogger(RecentEventIds.class);

    private final String consumer;
    private final Runnable onRepeat;
    private final Map<String, Boolean> ids;

    /**
     * The ids {@code consumer} processed lately from {@code topic}, with the default capacity; its repeats are counted in
     * {@code ich.events.repeated{topic}}. How every ich consumer sets itself up.
     */
    public static RecentEventIds counted(MeterRegistry registry, String consumer, String topic) {
        Counter repeated = Counter.builder("ich.events.repeated").tag("topic", topic)
                .description("events skipped because their CloudEvents id was processed already").register(registry);
        return new RecentEventIds(consumer, DEFAULT_CAPACITY, repeated::increment);
    }

    public RecentEventIds(String consumer, int capacity, Runnable onRepeat) {
        this.consumer = consumer;
        this.onRepeat = onRepeat;
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * Claims event {@code id} for processing: true the first time (it is remembered from now on), false for a repeat,
     * which is logged at debug with {@code subject} and counted, and which the caller skips. A record without ce_id
     * (empty) is always processed. A copy that arrives while the first is still being processed is a repeat too; if
     * that first attempt fails, the caller {@link #forget}s the id, and the failure takes its usual way (dead letter,
     * redelivery).
     */
    public boolean claim(Optional<String> id, String subject) {
        if (id.isEmpty()) return true;
        boolean first;
        synchronized (ids) {
            first = ids.putIfAbsent(id.get(), Boolean.TRUE) == null;
        }
        if (!first) {
            LOG.debugf("%s: event %s about %s was processed already; skipped", consumer, id.get(), subject);
            onRepeat.run();
        }
        return first;
    }

    /** {@link #claim(Optional, String)} for a record's headers. */
    public boolean claim(Headers headers, String subject) {
        return claim(CloudEventHeaders.id(headers), subject);
    }

    /** The attempt at event {@code id} failed: a later copy is processed, not skipped. */
    public void forget(Optional<String> id) {
        id.ifPresent(i -> {
            synchronized (ids) {
                ids.remove(i);
            }
        });
    }
}
