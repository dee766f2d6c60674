package dev.ich.ingest;

import dev.ich.core.event.DicomIngested;

/** What became of one instance offered to the {@link Ingestor}. */
public sealed interface StoreOutcome {

    /** SOP Class UID when the header could be read (the STOW-RS response names it), else null. */
    String sopClassUid();

    /** SOP Instance UID when the header could be read, else null. */
    String sopInstanceUid();

    /** Newly stored and announced (or queued for announcement: see {@link PendingEvents}). */
    record Stored(String sopClassUid, DicomIngested event) implements StoreOutcome {
        @Override
        public String sopInstanceUid() {
            return event.sopInstanceUid();
        }
    }

    /** The same SOP Instance UID with the same bytes is already stored: nothing was written or sent. */
    record Duplicate(String sopClassUid, String sopInstanceUid, String objectKey, String sha256) implements StoreOutcome {
    }

    /** Refused, with a code for machines and metrics and a reason a person can act on. */
    record Rejected(String sopClassUid, String sopInstanceUid, Rejection code, String reason) implements StoreOutcome {
        public static Rejected of(Rejection code, String reason) {
            return new Rejected(null, null, code, reason);
        }
    }
}
