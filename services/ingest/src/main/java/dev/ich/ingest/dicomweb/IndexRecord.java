package dev.ich.ingest.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dicom.DicomJson;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.event.Events;

import java.io.IOException;
import java.time.Instant;

/**
 * What the DICOMweb index knows of one stored instance, written beside it as {@code ingest/index/<time>/<sop>.json}:
 * where it is, how big, in which transfer syntax, and its {@link QidoAttribute} values in the DICOM JSON model
 * (as stored, so de-identified). A few hundred bytes; the object itself stays the truth.
 */
record IndexRecord(String objectKey, long size, String transferSyntaxUid, Instant indexedAt, ObjectNode dataset) {

    /** The record of the stored bytes of an instance (its header only is read). */
    static IndexRecord of(String objectKey, byte[] stored, Instant indexedAt) throws DicomReadException {
        DicomJson.Instance instance = DicomJson.read(stored, true);
        ObjectNode kept = Events.JSON.createObjectNode();
        for (QidoAttribute a : QidoAttribute.stored()) {
            JsonNode element = instance.dataset().get(a.tag);
            if (element != null) kept.set(a.tag, element);
        }
        return new IndexRecord(objectKey, stored.length, instance.transferSyntaxUid(), indexedAt, kept);
    }

    static IndexRecord parse(byte[] json) throws IOException {
        return Events.JSON.readValue(json, IndexRecord.class);
    }

    byte[] json() {
        try {
            return Events.JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("an index record is always writable as JSON", e);
        }
    }

    String key() {
        return ObjectKeys.ingestIndex(indexedAt, sopInstanceUid());
    }

    String studyInstanceUid() {
        return text(QidoAttribute.StudyInstanceUID);
    }

    String seriesInstanceUid() {
        return text(QidoAttribute.SeriesInstanceUID);
    }

    String sopInstanceUid() {
        return text(QidoAttribute.SOPInstanceUID);
    }

    /** The first value of an attribute as text, or null. */
    String text(QidoAttribute a) {
        JsonNode v = dataset.path(a.tag).path("Value").path(0);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /** The SOP Instance UID an index record key names, or null for a key that is not one. */
    static String sopOfKey(String key) {
        if (!key.startsWith(ObjectKeys.INGEST_INDEX_PREFIX) || !key.endsWith(".json")) return null;
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.substring(0, name.length() - ".json".length());
    }

    /** The SOP Instance UID of a {@code raw/<study>/<series>/<sop>.dcm} key, or null. */
    static String sopOfRawKey(String key) {
        if (!key.startsWith(ObjectKeys.RAW_PREFIX) || !key.endsWith(".dcm") || key.chars().filter(c -> c == '/').count() != 3) {
            return null;
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.substring(0, name.length() - ".dcm".length());
    }
}
