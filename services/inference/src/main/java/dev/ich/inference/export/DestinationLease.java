package dev.ich.inference.export;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.Events;
import dev.ich.core.storage.ObjectStore;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One replica at a time sends a destination's outbox: the one named in {@code export/leases/<destination>.json}, until
 * the lease expires unrenewed. S3 has no compare-and-set, so a claim is written, left to settle, and read back; two
 * replicas that claim within the same moment both read the last writer's name, and only it sends. A replica stalled
 * longer than the settle time between reading a free lease and writing its claim can still overlap with another for one
 * renewal period: the outbox is at-least-once, and a PACS stores a repeated SOP Instance once (docs/dicom.md).
 */
final class DestinationLease {
    private static final Logger LOG = Logger.getLogger(DestinationLease.class);

    record Claim(String holder, Instant expiresAt) {
    }

    private final ObjectStore store;
    private final String destination;
    private final String holder;
    private final Duration duration;
    private final Duration settle;
    private final Clock clock;
    private volatile Instant heldUntil;
    private volatile Instant renewedAt = Instant.EPOCH;

    DestinationLease(ObjectStore store, String destination, String holder, Duration duration, Clock clock) {
        this.store = store;
        this.destination = destination;
        this.holder = holder;
        this.duration = duration;
        this.settle = Duration.ofMillis(Math.min(1000, Math.max(50, duration.toMillis() / 20)));
        this.clock = clock;
    }

    /** Whether this replica may send now: its claim stands and has not run out. */
    boolean held() {
        Instant until = heldUntil;
        return until != null && clock.instant().isBefore(until);
    }

    /** Claims the lease when it is free, expired or already ours; true when this replica holds it afterwards. */
    boolean acquire() throws InterruptedException {
        Claim current = read();
        Instant now = clock.instant();
        if (current != null && !current.holder().equals(holder) && now.isBefore(current.expiresAt())) {
            heldUntil = null;
            return false;
        }
        Instant until = now.plus(duration);
        write(new Claim(holder, until));
        Thread.sleep(settle.toMillis());
        Claim after = read();
        if (after != null && holder.equals(after.holder())) {
            if (heldUntil == null) LOG.infof("export to %s: this replica (%s) sends now", destination, holder);
            heldUntil = until;
            renewedAt = now;
            return true;
        }
        heldUntil = null;
        return false;
    }

    /** Extends a held lease once a third of it has passed; loses it when another replica's claim is there instead. */
    void renewIfDue() {
        if (!held() || Duration.between(renewedAt, clock.instant()).compareTo(duration.dividedBy(3)) < 0) return;
        Claim current = read();
        if (current != null && !holder.equals(current.holder())) {
            LOG.warnf("export to %s: the lease is now %s's, this replica stops sending", destination, current.holder());
            heldUntil = null;
            return;
        }
        Instant now = clock.instant();
        write(new Claim(holder, now.plus(duration)));
        heldUntil = now.plus(duration);
        renewedAt = now;
    }

    /** Gives the lease up (shutdown), so another replica takes over at once instead of after expiry. */
    void release() {
        if (heldUntil == null) return;
        heldUntil = null;
        Claim current = read();
        if (current != null && holder.equals(current.holder())) store.delete(key());
    }

    private String key() {
        return ObjectKeys.exportLease(destination);
    }

    private Claim read() {
        if (store.stat(key()).isEmpty()) return null;
        try {
            return Events.JSON.readValue(store.get(key()), Claim.class);
        } catch (IOException e) {
            LOG.warnf("export lease %s is not JSON, treating it as free: %s", key(), e.getMessage());
            return null;
        }
    }

    private void write(Claim claim) {
        try {
            store.put(key(), Events.JSON.writeValueAsBytes(claim), "application/json", Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
