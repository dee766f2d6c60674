package dev.ich.core.event;

import java.time.Instant;

/**
 * Published on {@code dicom-ingested}, keyed by SOP Instance UID, after the object is stored
 * (docs/architecture.md, "The services and their topics"): no event ever points at a missing object.
 *
 * @param patientKey the PatientID as stored (a keyed hash when ingest de-identifies)
 * @param objectKey  {@code raw/<study>/<series>/<sop>.dcm}
 * @param sha256     hex digest of the stored bytes
 */
public record DicomIngested(String sopInstanceUid, String studyInstanceUid, String seriesInstanceUid, String patientKey,
                            String objectKey, String sha256, long size, String transferSyntaxUid, IngestSource source,
                            Instant receivedAt) {
    /** CloudEvents type of this event. */
    public static final String TYPE = "dev.ich.dicom.ingested";
}
