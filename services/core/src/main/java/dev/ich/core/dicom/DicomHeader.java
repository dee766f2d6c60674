package dev.ich.core.dicom;

import java.util.Collections;
import java.util.Map;

/**
 * A slice's header as the notebooks' flat "data frame" row (docs/reference-experiment.md, cleaning step 1): every element
 * but PixelData keyed by DICOM keyword; a multi-valued element K becomes K (first value), K1, K2, ...
 * and MultiK = 1; numbers are numbers; plus {@code fname}. The transfer syntax comes from the file
 * meta information, which is not part of the row (pydicom's data set does not include it either).
 */
public record DicomHeader(Map<String, Object> row, String transferSyntaxUid) {

    public DicomHeader {
        row = Collections.unmodifiableMap(row);
    }

    public String sopInstanceUid() {
        return text("SOPInstanceUID");
    }

    public String sopClassUid() {
        return text("SOPClassUID");
    }

    public String studyInstanceUid() {
        return text("StudyInstanceUID");
    }

    public String seriesInstanceUid() {
        return text("SeriesInstanceUID");
    }

    public String patientId() {
        return text("PatientID");
    }

    public String modality() {
        return text("Modality");
    }

    /** The value of a keyword as text, or null when absent or empty. */
    public String text(String keyword) {
        Object v = row.get(keyword);
        return v == null ? null : v.toString();
    }
}
