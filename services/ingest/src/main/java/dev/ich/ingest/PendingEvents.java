package dev.ich.ingest;

import dev.ich.runtime.DaemonThreads;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.DicomIngested;
import dev.ich.core.event.Events;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Events whose object is stored but whose publication failed (Kafka down, or slow past the ack
 * timeout). Each is kept in memory and, so a restart does not lose it, written to the bucket under
 * {@code ingest/pending/<sop>.json} with the CloudEvents id of its first try ({@link PendingEvent}); one
 * thread retries with doubling backoff, always with that id, and deletes the marker once the broker
 * acknowledged. At startup the markers are read back. A first try the broker took after all (its ack came
 * too late) and the retry are then two records of one event, same id, which consumers skip as a repeat. No door
 * answers "stored" before the event is acknowledged or its marker written ({@link Ingestor}): if the process dies
 * between storing an object and that point, the sender has no answer and sends again, and the duplicate announces
 * the event (same id). One replica owns its markers: several replicas would retry each other's, harmlessly
 * (consumers skip repeated ids) but twice.
 */
@ApplicationScoped
public class PendingEvents {
    private static final Logger LOG = Logger.getLogger(PendingEvents.class);

    @Inject
    IngestedPublisher publisher;
    @Inject
    ObjectStore store;
    @Inject
    IngestConfig config;
    @Inject
    MeterRegistry registry;

    private final Map<String, PendingEvent> pending = new ConcurrentHashMap<>();
    /** Pending events whose marker could not be written (storage failed too). */
    private final Set<String> inMemoryOnly = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService retrier = DaemonThreads.scheduler("ich-ingest-event-retry");
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Duration backoff;

    void onStart(@Observes StartupEvent event) {
        backoff = config.publish().initialBackoff();
        registry.gauge("ich.ingest.events.pending", pending, Map::size);
        retrier.execute(this::recover);
    }

    void onStop(@Observes ShutdownEvent event) {
        retrier.shutdownNow();
    }

    /**
     * Keeps {@code event} for retry. Returns whether its marker is in the bucket (so a restart keeps it): the
     * HTTP doors have already answered and ignore it; the DIMSE door answers Success only when it is true.
     */
    public boolean add(DicomIngested event, String id, Throwable why) {
        LOG.warnf("event %s for %s not published (%s); queued for retry", id, event.sopInstanceUid(), why.toString());
        PendingEvent waiting = new PendingEvent(id, event);
        pending.put(event.sopInstanceUid(), waiting);
        boolean persisted = persist(waiting);
        schedule();
        return persisted;
    }

    /**
     * Whether the event of {@code sop}, if it waits here, has its marker in the bucket; one that lives in
     * memory only is written again now. True when nothing waits (published, or never queued by this replica).
     */
    public boolean recorded(String sop) {
        if (!inMemoryOnly.contains(sop)) return true;
        PendingEvent waiting = pending.get(sop);
        return waiting == null || persist(waiting);
    }

    private boolean persist(PendingEvent waiting) {
        String sop = waiting.event().sopInstanceUid();
        try {
            store.put(ObjectKeys.ingestPending(sop), Events.JSON.writeValueAsBytes(waiting), "application/json", Map.of());
            inMemoryOnly.remove(sop);
            return true;
        } catch (Exception e) {
            LOG.errorf("cannot persist the pending event for %s: it lives in memory only (%s)", sop, e.getMessage());
            inMemoryOnly.add(sop);
            return false;
        }
    }

    public int size() {
        return pending.size();
    }

    private void recover() {
        try {
            for (StoredObject marker : store.list(ObjectKeys.INGEST_PENDING_PREFIX)) {
                PendingEvent e = read(store.get(marker.key()));
                pending.putIfAbsent(e.event().sopInstanceUid(), e);
            }
            if (!pending.isEmpty()) LOG.infof("%d pending events recovered from storage", pending.size());
        } catch (Exception e) {
            LOG.warnf("cannot read pending events from storage yet: %s", e.getMessage());
            retrier.schedule(this::recover, config.publish().maxBackoff().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (!pending.isEmpty()) schedule();
    }

    /** A marker: {id, event}, or an earlier version's bare payload, whose id is derived from the event. */
    static PendingEvent read(byte[] marker) throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode json = Events.JSON.readTree(marker);
        if (json.has("event")) return Events.JSON.treeToValue(json, PendingEvent.class);
        DicomIngested bare = Events.JSON.treeToValue(json, DicomIngested.class);
        return new PendingEvent(PendingEvent.legacyId(bare), bare);
    }

    /** At most one retry is ever scheduled, however many events fail meanwhile. */
    private void schedule() {
        if (!scheduled.compareAndSet(false, true)) return;
        retrier.schedule(() -> {
            scheduled.set(false);
            retry();
        }, backoff.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void retry() {
        for (PendingEvent waiting : pending.values()) {
            DicomIngested event = waiting.event();
            try {
                publisher.send(event, waiting.id());
                // Only this try's entry: an event queued anew for the same instance meanwhile keeps waiting, marker and all.
                if (pending.remove(event.sopInstanceUid(), waiting)) {
                    inMemoryOnly.remove(event.sopInstanceUid());
                    store.delete(ObjectKeys.ingestPending(event.sopInstanceUid()));
                }
            } catch (Exception e) {
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(config.publish().maxBackoff()) > 0 ? config.publish().maxBackoff() : doubled;
                LOG.debugf("retry of %s failed (%s); next in %s", event.sopInstanceUid(), e.getMessage(), backoff);
                schedule();
                return;
            }
        }
        backoff = config.publish().initialBackoff();
        LOG.debugf("pending events drained");
    }
}
