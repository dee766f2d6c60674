package dev.ich.ingest;

import dev.ich.core.event.DicomIngested;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * An event that waits for Kafka, as its marker {@code ingest/pending/<sop>.json} holds it: the {@code dicom-ingested}
 * payload and the CloudEvents id chosen when the instance was stored. Every send of the event carries that id, the
 * first try's included, so a consumer tells a retry (which Kafka may deliver beside a first copy it took after all)
 * from a new event.
 */
public record PendingEvent(String id, DicomIngested event) {

    /**
     * The id of a marker written before markers carried one (the payload alone): derived from what identifies the
     * event, so it is the same at every start that finds the marker.
     */
    static String legacyId(DicomIngested event) {
        return UUID.nameUUIDFromBytes((DicomIngested.TYPE + "/" + event.sopInstanceUid() + "/" + event.receivedAt())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
