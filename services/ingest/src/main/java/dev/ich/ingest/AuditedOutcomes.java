package dev.ich.ingest;

import dev.ich.ingest.StoreOutcome.Duplicate;
import dev.ich.ingest.StoreOutcome.Stored;
import dev.ich.runtime.audit.AuditEntities;

/** What an upload touched, for its audit record: the UIDs of every instance stored, found again, or refused. */
public final class AuditedOutcomes {
    private AuditedOutcomes() {
    }

    public static void add(AuditEntities audit, StoreOutcome outcome) {
        if (outcome instanceof Stored s) {
            audit.add("study", s.event().studyInstanceUid());
            audit.add("series", s.event().seriesInstanceUid());
            audit.add("instance", s.sopInstanceUid());
        } else if (outcome instanceof Duplicate d) {
            audit.add("instance", d.sopInstanceUid());
        } else {
            audit.add("instance.refused", outcome.sopInstanceUid());
        }
    }
}
