package dev.ich.core.dicom.results;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import dev.ich.core.dicom.DicomProblem;
import dev.ich.core.dicom.DicomReadException;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Patient and study attributes copied from one source instance of the study (Patient and General Study modules),
 * so the result objects file under the same patient and study in the PACS; and which instance they came from.
 * Type 2 attributes the source lacks are empty strings: the results carry them present and empty, as the IODs ask.
 * Values are as decoded from the source's character set; the writers choose their own (docs/dicom.md).
 */
public record SourceStudy(String patientName, String patientId, String patientBirthDate, String patientSex,
                          String studyInstanceUid, String studyDate, String studyTime, String studyId,
                          String accessionNumber, String referringPhysicianName, String studyDescription,
                          String sourceSopClassUid, String sourceSopInstanceUid, String sourceSeriesInstanceUid,
                          String sourceModality) {

    public SourceStudy {
        if (studyInstanceUid == null || studyInstanceUid.isBlank()) {
            throw new IllegalArgumentException("a source study needs its Study Instance UID");
        }
        patientName = orEmpty(patientName);
        patientId = orEmpty(patientId);
        patientBirthDate = orEmpty(patientBirthDate);
        patientSex = orEmpty(patientSex);
        studyDate = orEmpty(studyDate);
        studyTime = orEmpty(studyTime);
        studyId = orEmpty(studyId);
        accessionNumber = orEmpty(accessionNumber);
        referringPhysicianName = orEmpty(referringPhysicianName);
        studyDescription = orEmpty(studyDescription);
        sourceSopClassUid = orEmpty(sourceSopClassUid);
        sourceSopInstanceUid = orEmpty(sourceSopInstanceUid);
        sourceSeriesInstanceUid = orEmpty(sourceSeriesInstanceUid);
        sourceModality = orEmpty(sourceModality);
    }

    /**
     * Reads the header of one instance of the study (its pixel data is not read).
     *
     * @throws DicomReadException when the bytes are not readable as DICOM, or the instance has no Study Instance UID
     *                            (results could not be filed with their study)
     */
    public static SourceStudy of(byte[] part10Dicom) throws DicomReadException {
        AttributeList list = read(part10Dicom);
        String study = text(list, TagFromName.StudyInstanceUID);
        if (study.isEmpty()) {
            throw new DicomReadException(DicomProblem.NotDicom, "the source instance has no Study Instance UID (0020,000D)"
                    + " (SOP Instance UID \"" + text(list, TagFromName.SOPInstanceUID) + "\"): results are filed in the"
                    + " study of their source, so take the source from the study's stored instances");
        }
        return new SourceStudy(text(list, TagFromName.PatientName), text(list, TagFromName.PatientID),
                text(list, TagFromName.PatientBirthDate), text(list, TagFromName.PatientSex), study,
                text(list, TagFromName.StudyDate), text(list, TagFromName.StudyTime), text(list, TagFromName.StudyID),
                text(list, TagFromName.AccessionNumber), text(list, TagFromName.ReferringPhysicianName),
                text(list, TagFromName.StudyDescription), text(list, TagFromName.SOPClassUID),
                text(list, TagFromName.SOPInstanceUID), text(list, TagFromName.SeriesInstanceUID),
                text(list, TagFromName.Modality));
    }

    private static AttributeList read(byte[] bytes) throws DicomReadException {
        if (bytes == null || bytes.length == 0) throw new DicomReadException(DicomProblem.NotDicom, "the source instance is empty");
        AttributeList list = new AttributeList();
        // PixelMed finds the preamble and meta header itself (or reads a bare data set); the header is all we need.
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes))) {
            list.read(in, TagFromName.PixelData);
        } catch (DicomException | IOException | RuntimeException e) {
            if (list.get(TagFromName.StudyInstanceUID) == null) {
                throw new DicomReadException(DicomProblem.NotDicom, "the source instance is not readable as DICOM ("
                        + bytes.length + " bytes): " + e.getMessage(), e);
            }
            // A header cut off after the study attributes still names the study: results only need those.
        }
        if (list.isEmpty()) {
            throw new DicomReadException(DicomProblem.NotDicom, "the source instance is not readable as DICOM: nothing"
                    + " could be read from " + bytes.length + " bytes");
        }
        return list;
    }

    private static String text(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).strip();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s.strip();
    }
}
