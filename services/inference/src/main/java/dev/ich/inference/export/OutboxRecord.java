package dev.ich.inference.export;

import java.time.Instant;

/**
 * One result object waiting for one destination, stored as {@code export/outbox/<destination>/<id>.json}. Ids sort in
 * the order records were queued. A record is rewritten after every failed attempt (so counts survive a restart), and
 * once delivered or given up it is marked before its event is published, so a failed publish never sends the object
 * again: only the event is retried.
 *
 * @param refusals   attempts the destination answered and did not store (compared with max-attempts)
 * @param sentAt     set once the destination confirmed; the record waits only for its results-exported event
 * @param deadReason set once given up; the record waits only for its dead letter
 */
public record OutboxRecord(String id, String destination, String studyInstanceUid, String objectKey, Instant queuedAt,
                           int attempts, int refusals, String lastError, Instant lastAttemptAt,
                           String sopInstanceUid, String status, Instant sentAt, String deadReason) {

    static OutboxRecord queued(String id, String destination, String study, String objectKey, Instant now) {
        return new OutboxRecord(id, destination, study, objectKey, now, 0, 0, null, null, null, null, null, null);
    }

    OutboxRecord failedAttempt(boolean refused, String reason, Instant at) {
        return new OutboxRecord(id, destination, studyInstanceUid, objectKey, queuedAt, attempts + 1, refusals + (refused ? 1 : 0),
                reason, at, sopInstanceUid, status, sentAt, deadReason);
    }

    OutboxRecord delivered(String sop, String answer, Instant at) {
        return new OutboxRecord(id, destination, studyInstanceUid, objectKey, queuedAt, attempts + 1, refusals, lastError, at,
                sop, answer, at, null);
    }

    OutboxRecord givenUp(String sop, String answer, String reason, Instant at, boolean attempted) {
        return new OutboxRecord(id, destination, studyInstanceUid, objectKey, queuedAt, attempts + (attempted ? 1 : 0), refusals,
                reason, attempted ? at : lastAttemptAt, sop, answer, null, reason);
    }
}
