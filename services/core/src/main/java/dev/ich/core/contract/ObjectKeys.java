package dev.ich.core.contract;

import dev.ich.core.clean.PipelineVersion;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Object keys in the one bucket (docs/architecture.md, "The bucket"). UIDs are validated before they
 * become part of a key.
 */
public final class ObjectKeys {
    public static final String DEFAULT_BUCKET = "ich";
    public static final String RAW_PREFIX = "raw/";
    public static final String CLEAN_PREFIX = "clean/";
    /** Ingest's own bookkeeping (pending events, import status); never a DICOM object to import. */
    public static final String INGEST_PREFIX = "ingest/";
    /** Events ingest stored an object for but could not yet publish; ingest alone reads and deletes them. */
    public static final String INGEST_PENDING_PREFIX = INGEST_PREFIX + "pending/";
    /**
     * Background work's checkpoints, {@code operations/<kind>/<id>.json}, so any replica answers for an operation
     * another one runs (docs/operations.md); never DICOM to import.
     */
    public static final String OPERATIONS_PREFIX = "operations/";
    /** Bulk imports (ingest, {@code GET /imports/{id}}). */
    public static final String OPERATIONS_IMPORTS = OPERATIONS_PREFIX + "imports/";
    /** Reprocess runs (cleaning, {@code GET /reprocess/{id}}). */
    public static final String OPERATIONS_REPROCESS = OPERATIONS_PREFIX + "reprocess/";
    /** Dataset builds (labeling, {@code GET /datasets/{id}} until published, and after). */
    public static final String OPERATIONS_DATASET_BUILDS = OPERATIONS_PREFIX + "dataset-builds/";
    /** Metadata-only experiments (labeling, {@code GET /experiments/{id}}). */
    public static final String OPERATIONS_EXPERIMENTS = OPERATIONS_PREFIX + "experiments/";
    /** Studies ingest is receiving and has not yet announced as complete, so a restart still completes them. */
    public static final String INGEST_OPEN_STUDIES_PREFIX = INGEST_PREFIX + "open-studies/";
    /**
     * ingest's DICOMweb index records, one per stored instance, under the time it was indexed so a replica can
     * list only what is new (docs/dicom.md, "DICOMweb: QIDO-RS and WADO-RS").
     */
    public static final String INGEST_INDEX_PREFIX = INGEST_PREFIX + "index/";
    /** Fixed width, UTC, sorts as time does: keys listed after {@link #ingestIndexFrom} are the newer records. */
    private static final DateTimeFormatter INDEX_STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    public static final String DATASETS_PREFIX = "datasets/";
    /** Label uploads, so a labeling service on a fresh volume gets them back (docs/architecture.md, "The bucket"). */
    public static final String LABELS_PREFIX = "labels/";
    /**
     * The label versions' high-water mark: the highest version number ever given, kept when versions are deleted so
     * that none is given twice ({@link dev.ich.core.storage.VersionCounter}).
     */
    public static final String LABELS_HIGH_WATER = LABELS_PREFIX + "high-water.json";
    /** The promoted model's pointer: a {@link dev.ich.core.event.ModelPublished} record, written by promotion. */
    public static final String SERVING_MODEL = "models/serving.json";
    /** What inference wrote for completed studies: {@code results/<study>/...} (docs/dicom.md, "Study triage"). */
    public static final String RESULTS_PREFIX = "results/";
    /** Result objects waiting to be sent to a destination: {@code export/outbox/<destination>/<id>.json}. */
    public static final String EXPORT_OUTBOX_PREFIX = "export/outbox/";
    /** One lease per destination, so that one replica at a time sends its outbox (docs/dicom.md, "Export to PACS"). */
    public static final String EXPORT_LEASES_PREFIX = "export/leases/";

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

    /** {@code ingest/open-studies/<study>.json}: a study receiving instances, not yet announced complete. */
    public static String ingestOpenStudy(String studyUid) {
        return INGEST_OPEN_STUDIES_PREFIX + Uids.require("StudyInstanceUID", studyUid) + ".json";
    }

    /** {@code raw/<study>/}: every stored instance of a study. */
    public static String rawStudy(String studyUid) {
        return RAW_PREFIX + Uids.require("StudyInstanceUID", studyUid) + "/";
    }

    /** {@code ingest/index/<yyyyMMddTHHmmss.SSSZ>/<sop>.json}: the DICOMweb index record of a stored instance. */
    public static String ingestIndex(Instant indexed, String sopUid) {
        return ingestIndexFrom(indexed) + "/" + Uids.require("SOPInstanceUID", sopUid) + ".json";
    }

    /** The key every index record written at or after {@code time} sorts after (a listing's start-after). */
    public static String ingestIndexFrom(Instant time) {
        return INGEST_INDEX_PREFIX + INDEX_STAMP.format(time);
    }


    /** {@code results/<study>/}: everything inference wrote for one study. */
    public static String results(String studyUid) {
        return RESULTS_PREFIX + Uids.require("StudyInstanceUID", studyUid) + "/";
    }

    /** {@code results/<study>/prediction.json}: the study's {@link dev.ich.core.event.StudyPredicted} record. */
    public static String prediction(String studyUid) {
        return results(studyUid) + "prediction.json";
    }

    /** {@code results/<study>/<series>/<sop>.dcm}: a result object (SR, heatmap capture) in a new series of the study. */
    public static String resultObject(String studyUid, String seriesUid, String sopUid) {
        return results(studyUid) + Uids.require("SeriesInstanceUID", seriesUid) + "/" + Uids.require("SOPInstanceUID", sopUid) + ".dcm";
    }

    /**
     * {@code results/<study>/pictures/<sop>-<label>-<kind>.png}: the worklist's pictures of a key slice (the slice,
     * its heatmap); PNG for browsers, beside the DICOM objects a PACS gets.
     */
    public static String resultPicture(String studyUid, String sopUid, String label, String kind) {
        return results(studyUid) + "pictures/" + Uids.require("SOPInstanceUID", sopUid) + "-" + requireName("label", label) + "-"
                + requireName("picture kind", kind) + ".png";
    }

    /** {@code export/outbox/<destination>/}: what is still to be sent to one destination. */
    public static String exportOutbox(String destination) {
        return EXPORT_OUTBOX_PREFIX + requireName("destination name", destination) + "/";
    }

    /** {@code export/outbox/<destination>/<id>.json}: one result object waiting for one destination. */
    public static String exportOutboxRecord(String destination, String id) {
        return exportOutbox(destination) + requireName("outbox record id", id) + ".json";
    }

    /** {@code export/leases/<destination>.json}: which inference replica sends to that destination now. */
    public static String exportLease(String destination) {
        return EXPORT_LEASES_PREFIX + requireName("destination name", destination) + ".json";
    }

    /** {@code clean/<pipeline version>/<sop>.png}: a cleaned slice. */
    public static String clean(PipelineVersion version, String sopUid) {
        return CLEAN_PREFIX + version.id() + "/" + Uids.require("SOPInstanceUID", sopUid) + ".png";
    }

    /** {@code clean/<pipeline version>/pipeline.json}: the configuration a version stands for. */
    public static String pipeline(PipelineVersion version) {
        return CLEAN_PREFIX + version.id() + "/pipeline.json";
    }

    /** {@code datasets/<name>/<version>/}: everything of one immutable dataset version. */
    public static String dataset(String name, String version) {
        return DATASETS_PREFIX + requireName("dataset name", name) + "/" + requireName("dataset version", version) + "/";
    }

    /** {@code datasets/<name>/<version>/dataset.json}: spec, counts, shard keys. */
    public static String datasetJson(String name, String version) {
        return dataset(name, version) + "dataset.json";
    }

    /** {@code datasets/<name>/<version>/manifest.parquet}: one row per slice. */
    public static String datasetManifest(String name, String version) {
        return dataset(name, version) + "manifest.parquet";
    }

    /** {@code datasets/<name>/<version>/shards/<split>-NNNNN.tar}: about a thousand samples, read sequentially. */
    public static String datasetShard(String name, String version, String split, int index) {
        return dataset(name, version) + "shards/" + requireName("split", split) + "-" + String.format("%05d", index) + ".tar";
    }

    /** {@code datasets/<name>/high-water.json}: the highest version number the name ever had (never reused). */
    public static String datasetHighWater(String name) {
        return DATASETS_PREFIX + requireName("dataset name", name) + "/high-water.json";
    }

    /** {@code labels/v<N>/}: one label upload (labels.parquet and report.json). */
    public static String labels(int version) {
        if (version < 1) throw new IllegalArgumentException("label versions start at 1, not " + version);
        return LABELS_PREFIX + "v" + version + "/";
    }

    /**
     * Names that become part of a key: lower-case letters, digits, dots, dashes and underscores, starting
     * with a letter or digit, at most 64 characters. Keeps keys readable and free of path tricks.
     */
    public static String requireName(String what, String name) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,63}") || name.contains("..")) {
            throw new IllegalArgumentException(what + " must be 1-64 lower-case letters, digits, '.', '-' or '_', "
                    + "starting with a letter or digit: " + (name == null ? "missing" : "'" + name + "'"));
        }
        return name;
    }

    /** {@code jobs/<id>/}: a training job's spec, metrics, plots, report and checkpoints. */
    public static String job(String jobId) {
        return "jobs/" + requireName("job id", jobId) + "/";
    }

    /** {@code models/<name>/high-water.json}: the highest version number the model name ever had (never reused). */
    public static String modelHighWater(String name) {
        return "models/" + requireName("model name", name) + "/high-water.json";
    }

    /** {@code models/<name>/<version>/}: a trained model's model.json and weights. */
    public static String model(String name, String version) {
        return "models/" + requireName("model name", name) + "/" + requireName("model version", version) + "/";
    }
}
