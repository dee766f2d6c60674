package dev.ich.core.dicom.results;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The modules the SR and the captures share: Patient, General Study, equipment, SOP Common. */
final class ResultModules {
    static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss.SSS").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter DT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSS").withZone(ZoneOffset.UTC);

    private ResultModules() {
    }

    /** Patient and General Study, copied from the source; type 2 attributes present even when empty. */
    static void patientAndStudy(DataSet ds, SourceStudy s) {
        ds.put("PatientName", values(s.patientName())).put("PatientID", values(s.patientId()))
                .put("PatientBirthDate", values(s.patientBirthDate())).put("PatientSex", values(s.patientSex()))
                .put("StudyInstanceUID", s.studyInstanceUid()).put("StudyDate", values(s.studyDate()))
                .put("StudyTime", values(s.studyTime())).put("StudyID", values(s.studyId()))
                .put("AccessionNumber", values(s.accessionNumber()))
                .put("ReferringPhysicianName", values(s.referringPhysicianName()));
        if (!s.studyDescription().isEmpty()) ds.put("StudyDescription", s.studyDescription());
    }

    /** General Equipment: ich is the device that wrote the object; the model is the contributing equipment. */
    static void generalEquipment(DataSet ds, ResultEquipment e) {
        ds.put("Manufacturer", ResultEquipment.MANUFACTURER).put("ManufacturerModelName", ResultEquipment.MANUFACTURER)
                .put("SoftwareVersions", e.softwareVersion());
        if (e.institution() != null) ds.put("InstitutionName", e.institution());
    }

    /**
     * Contributing Equipment Sequence: the model as processing equipment (CID 7005), the item an AI-results
     * reader looks for to tell which algorithm, in which version, made the object.
     */
    static void contributingEquipment(DataSet ds, ResultEquipment e, String description, Instant at) {
        DataSet item = new DataSet().code("PurposeOfReferenceCodeSequence", TriageCodes.PROCESSING_EQUIPMENT)
                .put("Manufacturer", ResultEquipment.MANUFACTURER).put("ManufacturerModelName", e.modelName())
                .put("SoftwareVersions", e.modelVersion())
                .put("ContributionDescription", description);
        if (e.institution() != null) item.put("InstitutionName", e.institution());
        if (at != null) item.put("ContributionDateTime", DT.format(at) + "+0000");
        ds.sequence("ContributingEquipmentSequence", item);
    }

    /** SOP Common; times are UTC and say so (Timezone Offset From UTC), so the bytes do not depend on the host's zone. */
    static void sopCommon(DataSet ds, String sopClassUid, String sopInstanceUid, Instant created) {
        ds.put("SOPClassUID", sopClassUid).put("SOPInstanceUID", sopInstanceUid);
        if (created != null) {
            ds.put("InstanceCreationDate", DA.format(created)).put("InstanceCreationTime", TM.format(created))
                    .put("TimezoneOffsetFromUTC", "+0000");
        }
    }

    /** An empty value writes the attribute present and empty. */
    private static String[] values(String v) {
        return v == null || v.isEmpty() ? new String[0] : new String[]{v};
    }
}
