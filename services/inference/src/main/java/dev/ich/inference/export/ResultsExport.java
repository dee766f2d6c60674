package dev.ich.inference.export;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Export of result objects to the configured destinations (docs/dicom.md, "Export to PACS"): {@link #enqueue} writes
 * one outbox record per destination and object into the bucket and returns; one sender thread per destination then
 * delivers them, oldest first, with retries, and reports each object on {@code results-exported} (or, given up, on its
 * dead-letter topic). What is in the outbox survives a restart: the senders start from the bucket.
 */
@ApplicationScoped
public class ResultsExport {
    private static final Logger LOG = Logger.getLogger(ResultsExport.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    @Inject
    ExportConfig config;
    @Inject
    ObjectStore store;
    @Inject
    ExportEvents events;
    @Inject
    MeterRegistry registry;

    private final String replica = replicaName();
    private final String replicaTag = Integer.toHexString(replica.hashCode() & 0x7fffffff);
    private final Map<String, DestinationSender> senders = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private ScheduledExecutorService timers;

    void onStart(@Observes StartupEvent start) {
        start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        stop();
    }

    /** Builds and starts one sender per destination; they begin with what the outbox already holds. */
    synchronized void start() {
        if (!senders.isEmpty()) return;
        Map<String, ExportConfig.Destination> destinations = new TreeMap<>(config.destinations());
        if (destinations.isEmpty()) {
            LOG.info("export: no destination configured (ich.inference.export.destinations); result objects stay in the bucket");
            return;
        }
        timers = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "ich-export-timers");
            t.setDaemon(true);
            return t;
        });
        for (var e : destinations.entrySet()) {
            String name = e.getKey();
            ExportConfig.Destination d = e.getValue();
            ObjectKeys.requireName("export destination name", name);
            DestinationClient client = client(name, d);
            DestinationLease lease = new DestinationLease(store, name, replica, config.leaseDuration(), Clock.systemUTC());
            senders.put(name, new DestinationSender(name, d, client, store, lease, events, config.pollInterval(), registry, Clock.systemUTC()));
            LOG.infof("export: destination %s, %s to %s (max-attempts %d, backoff %d ms to %d ms)", name, d.kind().name().toLowerCase(),
                    client.target(), d.maxAttempts(), d.initialBackoff().toMillis(), d.maxBackoff().toMillis());
        }
        // Renew held leases on their own clock: a long send must not let a lease lapse under the sender.
        long renew = Math.max(100, config.leaseDuration().toMillis() / 6);
        timers.scheduleWithFixedDelay(this::renewLeases, renew, renew, TimeUnit.MILLISECONDS);
        for (DestinationSender s : senders.values()) {
            Thread t = new Thread(s, "ich-export-" + s.name());
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** Stops the senders and gives their leases up; the outbox stays in the bucket for the next start. */
    synchronized void stop() {
        senders.values().forEach(DestinationSender::stop);
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (DestinationSender s : senders.values()) {
            try {
                s.lease().release();
            } catch (StorageException e) {
                LOG.warnf("export to %s: lease not released (it expires by itself): %s", s.name(), e.getMessage());
            }
        }
        if (timers != null) timers.shutdownNow();
        threads.clear();
        senders.clear();
        registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("ich.inference.export.")).toList().forEach(registry::remove);
    }

    /**
     * Durably queues every object key for every configured destination (one outbox record per destination and object,
     * written to the bucket before this returns), then wakes the sender. Returns the number of records queued (0 when
     * no destination is configured). Throws StorageException when the outbox cannot be written (the caller then must
     * not report the study as exported); records this call had written by then are removed again where possible.
     *
     * @throws IllegalArgumentException when a key is not a result object of the study ({@code results/<study>/...})
     */
    public int enqueue(String studyInstanceUid, List<String> objectKeys) {
        String prefix = ObjectKeys.results(studyInstanceUid);
        for (String key : objectKeys) {
            if (key == null || !key.startsWith(prefix) || !key.endsWith(".dcm")) {
                throw new IllegalArgumentException("not a result object of study " + studyInstanceUid + ": " + key
                        + " (expected " + prefix + "<series>/<sop>.dcm)");
            }
        }
        Map<String, DestinationSender> now;
        synchronized (this) {
            now = Map.copyOf(senders);
        }
        if (now.isEmpty() || objectKeys.isEmpty()) return 0;
        Outbox outbox = new Outbox(store);
        List<OutboxRecord> written = new ArrayList<>();
        Map<String, Integer> perDestination = new TreeMap<>();
        Instant at = Instant.now();
        try {
            for (String destination : new TreeMap<>(now).keySet()) {
                for (String key : objectKeys) {
                    OutboxRecord r = OutboxRecord.queued(nextId(), destination, studyInstanceUid, key, at);
                    outbox.put(r);
                    written.add(r);
                    perDestination.merge(destination, 1, Integer::sum);
                }
            }
        } catch (StorageException e) {
            for (OutboxRecord r : written) {
                try {
                    outbox.delete(r);
                } catch (StorageException ignored) {
                    // left behind: it will be sent, which a retried enqueue then repeats (at-least-once)
                }
            }
            throw e;
        }
        perDestination.forEach((d, n) -> now.get(d).queuedMore(n));
        return written.size();
    }

    /** Per destination: queued, sent, failed counts and the last error (for a status endpoint and tests). */
    public Map<String, DestinationStatus> status() {
        Map<String, DestinationStatus> out = new TreeMap<>();
        synchronized (this) {
            senders.forEach((name, s) -> out.put(name, s.status()));
        }
        return out;
    }

    /** Ids sort in queue order: milliseconds, then this process's counter, then the replica (ties across replicas). */
    private String nextId() {
        return String.format("%013d-%09d-%s", System.currentTimeMillis(), SEQUENCE.incrementAndGet() % 1_000_000_000L, replicaTag);
    }

    private void renewLeases() {
        List<DestinationSender> now;
        synchronized (this) {
            now = List.copyOf(senders.values());
        }
        for (DestinationSender s : now) {
            try {
                s.lease().renewIfDue();
            } catch (RuntimeException e) {
                LOG.warnf("export to %s: lease not renewed (retried): %s", s.name(), e.getMessage());
            }
        }
    }

    private DestinationClient client(String name, ExportConfig.Destination d) {
        String where = "ich.inference.export.destinations." + name + ".";
        return switch (d.kind()) {
            case DIMSE -> new DimseClient(
                    d.host().filter(h -> !h.isBlank()).orElseThrow(() -> missing(where + "host", "dimse")),
                    d.port().orElseThrow(() -> missing(where + "port", "dimse")),
                    d.calledAeTitle().filter(a -> !a.isBlank()).orElseThrow(() -> missing(where + "called-ae-title", "dimse")),
                    d.callingAeTitle(), d.timeout(), timers);
            case STOW -> new StowClient(d.url().orElseThrow(() -> missing(where + "url", "stow")), d.bearerToken(), d.username(),
                    d.password(), d.timeout());
        };
    }

    private static IllegalStateException missing(String key, String kind) {
        return new IllegalStateException("export destination of kind " + kind + " needs " + key
                + " (environment: " + key.toUpperCase().replace('.', '_').replace('-', '_') + ")");
    }

    /** The pod name in Kubernetes (HOSTNAME), else the host's name: a restarted container keeps its claim on a lease. */
    private static String replicaName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) return host;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "inference-" + UUID.randomUUID();
        }
    }
}
