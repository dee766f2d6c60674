package dev.ich.cleaning;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.DicomIngested;

/** A raw instance in storage and the UIDs it is filed under: what cleaning needs from an event or a listing. */
public record RawSlice(String objectKey, String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid) {

    public static RawSlice of(DicomIngested event) {
        if (event.objectKey() == null) throw new IllegalArgumentException("the event has no objectKey");
        return new RawSlice(event.objectKey(), event.studyInstanceUid(), event.seriesInstanceUid(), event.sopInstanceUid());
    }

    /** Parses {@code raw/<study>/<series>/<sop>.dcm}; IllegalArgumentException for any other key. */
    public static RawSlice ofKey(String key) {
        String[] parts = key.startsWith(ObjectKeys.RAW_PREFIX) ? key.substring(ObjectKeys.RAW_PREFIX.length()).split("/") : new String[0];
        if (parts.length != 3 || !parts[2].endsWith(".dcm")) {
            throw new IllegalArgumentException("not a raw slice key (raw/<study>/<series>/<sop>.dcm): " + key);
        }
        String sop = parts[2].substring(0, parts[2].length() - ".dcm".length());
        // Round trip through ObjectKeys: validates the UIDs, so a stray object cannot name a key outside clean/.
        if (!ObjectKeys.raw(parts[0], parts[1], sop).equals(key)) throw new IllegalArgumentException("not canonical: " + key);
        return new RawSlice(key, parts[0], parts[1], sop);
    }
}
