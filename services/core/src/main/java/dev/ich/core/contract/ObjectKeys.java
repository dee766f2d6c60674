package dev.ich.core.contract;

import dev.ich.core.clean.PipelineVersion;

/**
 * Object keys in the one bucket (design.md, "Object storage"). UIDs are validated before they
 * become part of a key.
 */
public final class ObjectKeys {
    public static final String DEFAULT_BUCKET = "ich";
    public static final String RAW_PREFIX = "raw/";
    public static final String CLEAN_PREFIX = "clean/";
    /** Events ingest stored an object for but could not yet publish; ingest alone reads and deletes them. */
    public static final String INGEST_PENDING_PREFIX = "ingest/pending/";

    private ObjectKeys() {
    }

    /** {@code raw/<study>/<series>/<sop>.dcm}: an ingested instance, stored unchanged. */
    public static String raw(String studyUid, String seriesUid, String sopUid) {
        return RAW_PREFIX + Uids.require("StudyInstanceUID", studyUid) + "/" + Uids.require("SeriesInstanceUID", seriesUid)
                + "/" + Uids.require("SOPInstanceUID", sopUid) + ".dcm";
    }

    /** {@code ingest/pending/<sop>.json}: a dicom-ingested event waiting for Kafka (see services/ingest). */
    public static String ingestPending(String sopUid) {
        return INGEST_PENDING_PREFIX + Uids.require("SOPInstanceUID", sopUid) + ".json";
    }

    /** {@code clean/<pipeline version>/<sop>.png}: a cleaned slice. */
    public static String clean(PipelineVersion version, String sopUid) {
        return CLEAN_PREFIX + version.id() + "/" + Uids.require("SOPInstanceUID", sopUid) + ".png";
    }

    /** {@code clean/<pipeline version>/pipeline.json}: the configuration a version stands for. */
    public static String pipeline(PipelineVersion version) {
        return CLEAN_PREFIX + version.id() + "/pipeline.json";
    }
}
