package dev.ich.inference.export;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.ResultExported;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that sends a destination's outbox, oldest record first, a study's objects together. The outbox in the
 * bucket is the work list; this thread only ever holds the next page of its keys. A failed batch stays at the head and
 * the thread waits (initial-backoff doubling to max-backoff) before it tries again, so a down destination costs one
 * attempt per backoff and never another destination's thread.
 */
final class DestinationSender implements Runnable {
    private static final Logger LOG = Logger.getLogger(DestinationSender.class);
    /** Keys taken from one listing; the rest stays in the bucket until these are done. */
    private static final int PAGE = 1000;
    private static final String DEAD_LETTER_TOPIC = Topics.deadLetter(Topics.RESULTS_EXPORTED);

    private final String name;
    private final ExportConfig.Kind kind;
    private final ExportConfig.Destination config;
    private final DestinationClient client;
    private final ObjectStore store;
    private final Outbox outbox;
    private final DestinationLease lease;
    private final ExportEvents events;
    private final Duration pollInterval;
    private final Clock clock;

    private final AtomicLong queued = new AtomicLong();
    private final Counter sent;
    private final Counter failed;
    private final Counter retries;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running = true;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant lastSentAt;

    private final Deque<String> page = new ArrayDeque<>();
    private OutboxRecord lookahead;
    private int consecutiveFailures;
    private Instant backoffUntil = Instant.EPOCH;

    DestinationSender(String name, ExportConfig.Destination config, DestinationClient client, ObjectStore store, DestinationLease lease,
                      ExportEvents events, Duration pollInterval, MeterRegistry registry, Clock clock) {
        this.name = name;
        this.kind = config.kind();
        this.config = config;
        this.client = client;
        this.store = store;
        this.outbox = new Outbox(store);
        this.lease = lease;
        this.events = events;
        this.pollInterval = pollInterval;
        this.clock = clock;
        sent = Counter.builder("ich.inference.export.sent").description("result objects a destination stored")
                .tag("destination", name).register(registry);
        failed = Counter.builder("ich.inference.export.failed").description("result objects given up (sent to the dead-letter topic)")
                .tag("destination", name).register(registry);
        retries = Counter.builder("ich.inference.export.retries").description("failed send attempts, tried again later")
                .tag("destination", name).register(registry);
        Gauge.builder("ich.inference.export.queued", queued, AtomicLong::get).description("result objects in the destination's outbox")
                .tag("destination", name).register(registry);
    }

    String name() {
        return name;
    }

    DestinationLease lease() {
        return lease;
    }

    /** Called by enqueue after its records are in the bucket. */
    void queuedMore(int records) {
        queued.addAndGet(records);
        wake();
    }

    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    void stop() {
        running = false;
        wake();
    }

    DestinationStatus status() {
        return new DestinationStatus(kindName(), client.target(), lease.held(), queued.get(),
                (long) sent.count(), (long) failed.count(), (long) retries.count(), lastError, lastErrorAt, lastSentAt);
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (!lease.held() && !lease.acquire()) {
                    // Another replica sends; keep the gauge honest and look again later.
                    refill();
                    page.clear();
                    lookahead = null;
                    pause(pollInterval, true);
                    continue;
                }
                Instant now = clock.instant();
                if (now.isBefore(backoffUntil)) {
                    pause(Duration.between(now, backoffUntil), false);
                    continue;
                }
                List<OutboxRecord> batch = nextBatch();
                if (batch.isEmpty()) {
                    pause(pollInterval, true);
                    continue;
                }
                process(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (StorageException e) {
                // The bucket is the outbox: without it nothing can be sent or recorded; try again after the backoff.
                failure("the bucket cannot be read or written: " + e.getMessage());
                page.clear();
                lookahead = null;
                backOff();
            } catch (RuntimeException e) {
                LOG.errorf(e, "export to %s: unexpected failure", name);
                failure("unexpected failure: " + e);
                page.clear();
                lookahead = null;
                backOff();
            }
        }
    }

    /** Waits up to {@code d}; an enqueue or a stop ends the wait early when {@code wakeable}, a stop always. */
    private void pause(Duration d, boolean wakeable) throws InterruptedException {
        long until = System.nanoTime() + Math.max(1, d.toNanos());
        synchronized (signal) {
            while (running && !(wakeable && woken)) {
                long left = until - System.nanoTime();
                if (left <= 0) break;
                signal.wait(Math.max(1, left / 1_000_000));
            }
            if (wakeable) woken = false;
        }
    }

    private void refill() {
        Outbox.Listing listing = outbox.list(name, PAGE);
        queued.set(listing.count());
        page.clear();
        page.addAll(listing.head());
    }

    /** The oldest record and those right behind it of the same study, up to max-batch. */
    private List<OutboxRecord> nextBatch() {
        List<OutboxRecord> batch = new ArrayList<>();
        if (lookahead == null && page.isEmpty()) refill();
        while (batch.size() < config.maxBatch()) {
            OutboxRecord next = lookahead;
            lookahead = null;
            if (next == null) {
                String key = page.poll();
                if (key == null) break;
                Optional<OutboxRecord> read = outbox.read(key);
                if (read.isEmpty()) continue;
                next = read.get();
            }
            if (!batch.isEmpty() && !batch.get(0).studyInstanceUid().equals(next.studyInstanceUid())) {
                lookahead = next;
                break;
            }
            batch.add(next);
        }
        return batch;
    }

    private void process(List<OutboxRecord> batch) throws InterruptedException {
        lease.renewIfDue();
        List<ExportObject> objects = new ArrayList<>();
        List<OutboxRecord> retry = new ArrayList<>();
        for (OutboxRecord r : batch) {
            if (r.sentAt() != null) {
                finishSent(r, retry);
            } else if (r.deadReason() != null) {
                finishDead(r, retry);
            } else {
                Readable read = read(r);
                if (read.object() != null) objects.add(read.object());
                else finishDead(r.givenUp(sopOf(r), null, read.problem(), clock.instant(), false), retry);
            }
        }

        if (!objects.isEmpty()) {
            List<Delivery> deliveries = client.send(objects);
            Instant at = clock.instant();
            for (int i = 0; i < objects.size(); i++) {
                ExportObject o = objects.get(i);
                Delivery d = deliveries.get(i);
                OutboxRecord r = o.record();
                switch (d.outcome()) {
                    case SENT -> finishSent(r.delivered(o.sopInstanceUid(), d.status(), at), retry);
                    case PERMANENT -> finishDead(r.givenUp(o.sopInstanceUid(), d.status(), d.reason(), at, true), retry);
                    case REFUSED, UNREACHABLE -> {
                        boolean refused = d.outcome() == Delivery.Outcome.REFUSED;
                        OutboxRecord failedOnce = r.failedAttempt(refused, d.reason(), at);
                        retries.increment();
                        failure(d.reason());
                        if (refused && failedOnce.refusals() >= config.maxAttempts()) {
                            String reason = "refused " + failedOnce.refusals() + " times (max-attempts " + config.maxAttempts() + "), last: " + d.reason();
                            finishDead(new OutboxRecord(r.id(), r.destination(), r.studyInstanceUid(), r.objectKey(), r.queuedAt(),
                                    failedOnce.attempts(), failedOnce.refusals(), reason, at, o.sopInstanceUid(), d.status(), null, reason), retry);
                        } else {
                            outbox.put(failedOnce);
                            retry.add(failedOnce);
                        }
                    }
                }
            }
        }
        if (retry.isEmpty()) {
            consecutiveFailures = 0;
            return;
        }
        // The failed ones are still the oldest records: the next attempt lists the outbox afresh and starts with them,
        // joined by whatever of their study was queued meanwhile.
        page.clear();
        lookahead = null;
        backOff();
    }

    /** The object, or why it cannot be sent at all. */
    private record Readable(ExportObject object, String problem) {
    }

    /** The object from the bucket, or the reason it is gone for good or is no DICOM object; a failing bucket throws. */
    private Readable read(OutboxRecord r) {
        byte[] bytes;
        try {
            bytes = store.get(r.objectKey());
        } catch (StorageException e) {
            if (store.stat(r.objectKey()).isPresent()) throw e; // the bucket failed: not the object's fault
            return new Readable(null, "the result object is no longer in the bucket");
        }
        try {
            return new Readable(ExportObject.read(r, bytes), null);
        } catch (IllegalArgumentException e) {
            return new Readable(null, "the result object cannot be sent: " + e.getMessage());
        }
    }

    private void finishSent(OutboxRecord r, List<OutboxRecord> retry) {
        ResultExported event = new ResultExported(name, kindName(), r.studyInstanceUid(), r.sopInstanceUid(), r.objectKey(),
                r.attempts(), r.status(), r.queuedAt(), r.sentAt(), null);
        try {
            events.sent(event, ExportEvents.eventId(r, "sent"));
        } catch (Exception e) {
            // Delivered: keep the mark so that only the event is tried again, never the send.
            outbox.put(r);
            retry.add(r);
            failure("stored by the destination, but results-exported could not be published (tried again): " + e.getMessage());
            return;
        }
        outbox.delete(r);
        queued.decrementAndGet();
        sent.increment();
        lastSentAt = r.sentAt();
    }

    private void finishDead(OutboxRecord r, List<OutboxRecord> retry) {
        ResultExported event = new ResultExported(name, kindName(), r.studyInstanceUid(), r.sopInstanceUid(), r.objectKey(),
                r.attempts(), r.status(), r.queuedAt(), null, r.deadReason());
        try {
            events.deadLetter(event, r.deadReason(), ExportEvents.eventId(r, "dead"));
        } catch (Exception e) {
            outbox.put(r);
            retry.add(r);
            failure("given up, but the dead letter could not be published (tried again): " + e.getMessage());
            return;
        }
        outbox.delete(r);
        queued.decrementAndGet();
        failed.increment();
        failure(r.deadReason());
        LOG.warnf("export to %s: %s given up after %d attempt(s), sent to %s: %s", name, r.objectKey(), r.attempts(),
                DEAD_LETTER_TOPIC, r.deadReason());
    }

    private String kindName() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String sopOf(OutboxRecord r) {
        if (r.sopInstanceUid() != null) return r.sopInstanceUid();
        String key = r.objectKey();
        int slash = key.lastIndexOf('/');
        return key.endsWith(".dcm") && slash >= 0 ? key.substring(slash + 1, key.length() - 4) : null;
    }

    private void failure(String reason) {
        lastError = reason;
        lastErrorAt = clock.instant();
    }

    private void backOff() {
        consecutiveFailures++;
        long initial = Math.max(1, config.initialBackoff().toMillis());
        long delay = initial << Math.min(20, consecutiveFailures - 1);
        delay = Math.min(delay, Math.max(initial, config.maxBackoff().toMillis()));
        backoffUntil = clock.instant().plusMillis(delay);
        LOG.debugf("export to %s: next attempt in %d ms (%s)", name, delay, lastError);
    }
}
