package dev.ich.core.event;

import java.time.Instant;
import java.util.List;

/**
 * Published on {@code study-completed}, keyed by Study Instance UID, when ingest has stored no new instance of the
 * study for its stable age (like Orthanc's StableAge; {@code ich.ingest.study.stable-age}, default 60 s). A study that
 * receives more instances later completes again, with the larger set: consumers treat the latest event per study as
 * the truth.
 *
 * @param patientKey   the PatientID as stored (a keyed hash when ingest de-identifies)
 * @param instances    how many instances of the study ingest holds
 * @param seriesUids   the study's series, as stored
 * @param firstStoredAt when the first instance of this round arrived
 * @param lastStoredAt when the last instance arrived (the stable age counts from here)
 */
public record StudyCompleted(String studyInstanceUid, String patientKey, int instances, List<String> seriesUids,
                             Instant firstStoredAt, Instant lastStoredAt, Instant completedAt) {
    /** CloudEvents type of this event. */
    public static final String TYPE = "dev.ich.study.completed";
}
