package dev.ich.ingest.dicomweb;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The attributes ich's DICOMweb index knows: what QIDO-RS matches on and returns, by level. {@code required}: returned
 * whether asked for or not (PS3.18 Table 10.6.3-3 to -5, the study, series and instance return attributes);
 * the others on {@code includefield}. {@code computed}: not in any one object, derived from the index (counts,
 * modalities, the retrieve URL, availability). Everything else an instance holds is in its WADO-RS metadata.
 */
enum QidoAttribute {
    StudyDate("00080020", "DA", Level.STUDY, true),
    StudyTime("00080030", "TM", Level.STUDY, true),
    AccessionNumber("00080050", "SH", Level.STUDY, true),
    InstanceAvailability("00080056", "CS", Level.STUDY, true, true),
    ModalitiesInStudy("00080061", "CS", Level.STUDY, true, true),
    ReferringPhysicianName("00080090", "PN", Level.STUDY, true),
    TimezoneOffsetFromUTC("00080201", "SH", Level.STUDY, false),
    StudyDescription("00081030", "LO", Level.STUDY, false),
    RetrieveURL("00081190", "UR", Level.STUDY, true, true),
    PatientName("00100010", "PN", Level.STUDY, true),
    PatientID("00100020", "LO", Level.STUDY, true),
    IssuerOfPatientID("00100021", "LO", Level.STUDY, false),
    PatientBirthDate("00100030", "DA", Level.STUDY, true),
    PatientSex("00100040", "CS", Level.STUDY, true),
    PatientAge("00101010", "AS", Level.STUDY, false),
    StudyInstanceUID("0020000D", "UI", Level.STUDY, true),
    StudyID("00200010", "SH", Level.STUDY, true),
    NumberOfStudyRelatedSeries("00201206", "IS", Level.STUDY, true, true),
    NumberOfStudyRelatedInstances("00201208", "IS", Level.STUDY, true, true),

    Modality("00080060", "CS", Level.SERIES, true),
    SeriesDate("00080021", "DA", Level.SERIES, false),
    SeriesTime("00080031", "TM", Level.SERIES, false),
    Manufacturer("00080070", "LO", Level.SERIES, false),
    SeriesDescription("0008103E", "LO", Level.SERIES, true),
    BodyPartExamined("00180015", "CS", Level.SERIES, false),
    ProtocolName("00181030", "LO", Level.SERIES, false),
    SeriesInstanceUID("0020000E", "UI", Level.SERIES, true),
    SeriesNumber("00200011", "IS", Level.SERIES, true),
    NumberOfSeriesRelatedInstances("00201209", "IS", Level.SERIES, true, true),
    PerformedProcedureStepStartDate("00400244", "DA", Level.SERIES, true),
    PerformedProcedureStepStartTime("00400245", "TM", Level.SERIES, true),

    ImageType("00080008", "CS", Level.INSTANCE, false),
    SOPClassUID("00080016", "UI", Level.INSTANCE, true),
    SOPInstanceUID("00080018", "UI", Level.INSTANCE, true),
    ContentDate("00080023", "DA", Level.INSTANCE, false),
    ContentTime("00080033", "TM", Level.INSTANCE, false),
    AvailableTransferSyntaxUID("00083002", "UI", Level.INSTANCE, true, true),
    SliceThickness("00180050", "DS", Level.INSTANCE, false),
    InstanceNumber("00200013", "IS", Level.INSTANCE, true),
    ImagePositionPatient("00200032", "DS", Level.INSTANCE, false),
    ImageOrientationPatient("00200037", "DS", Level.INSTANCE, false),
    SliceLocation("00201041", "DS", Level.INSTANCE, false),
    PhotometricInterpretation("00280004", "CS", Level.INSTANCE, false),
    NumberOfFrames("00280008", "IS", Level.INSTANCE, true),
    Rows("00280010", "US", Level.INSTANCE, true),
    Columns("00280011", "US", Level.INSTANCE, true),
    PixelSpacing("00280030", "DS", Level.INSTANCE, false),
    BitsAllocated("00280100", "US", Level.INSTANCE, true),
    BitsStored("00280101", "US", Level.INSTANCE, false);

    /** Study (with its patient), series, instance: what a query answers and which attributes it may match. */
    enum Level {
        STUDY, SERIES, INSTANCE;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Map<String, QidoAttribute> BY_TAG = Arrays.stream(values())
            .collect(Collectors.toMap(a -> a.tag, Function.identity()));

    final String tag;
    final String vr;
    final Level level;
    final boolean required;
    final boolean computed;

    QidoAttribute(String tag, String vr, Level level, boolean required) {
        this(tag, vr, level, required, false);
    }

    QidoAttribute(String tag, String vr, Level level, boolean required, boolean computed) {
        this.tag = tag;
        this.vr = vr;
        this.level = level;
        this.required = required;
        this.computed = computed;
    }

    /** A keyword ({@code PatientID}) or a tag as 8 hex digits ({@code 00100020}, either case). */
    static Optional<QidoAttribute> find(String id) {
        if (id.matches("[0-9A-Fa-f]{8}")) return Optional.ofNullable(BY_TAG.get(id.toUpperCase(Locale.ROOT)));
        return Arrays.stream(values()).filter(a -> a.name().equals(id)).findFirst();
    }

    /** The attributes ich stores in an index record (the computed ones come from the index itself). */
    static List<QidoAttribute> stored() {
        return Arrays.stream(values()).filter(a -> !a.computed).toList();
    }

    static List<QidoAttribute> at(Level level) {
        return Arrays.stream(values()).filter(a -> a.level == level).toList();
    }
}
