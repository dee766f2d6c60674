package dev.ich.inference.export;

import java.time.Instant;

/**
 * One destination as {@code GET /export/status} shows it: counts and errors only, no patient data.
 *
 * @param target      where it sends (AE title, host and port, or the STOW-RS URL; never credentials)
 * @param sending     whether this replica holds the destination's lease (only the holder sends)
 * @param queued      records in its outbox, as last counted
 * @param sent        objects stored by the destination since this process started
 * @param failed      objects given up (dead-lettered) since this process started
 * @param retries     failed attempts since this process started (retried later)
 * @param lastError   the last failure, as a sentence; null when none yet
 */
public record DestinationStatus(String kind, String target, boolean sending, long queued, long sent, long failed, long retries,
                                String lastError, Instant lastErrorAt, Instant lastSentAt) {
}
