package dev.ich.core.dicom.results;

/** One written result object: its identity, as a sender or an object key needs it, and its Part 10 bytes. */
public record ResultObject(String sopClassUid, String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
                           String modality, byte[] part10) {
}
