package dev.ich.core.dicom.results;

import dev.ich.core.label.Label;

/**
 * Every coded concept the result objects use, in one place. DCM codes and the SNOMED CT codes that appear in
 * PS3.16 were checked against the DICOM code dictionary; the subtype SNOMED CT codes used are the ones we could
 * confirm exactly (subarachnoid, subdural). Where we could not, the finding is an ich code ({@value #ICH}, a private
 * coding scheme: designators starting 99 are reserved for local use), declared in the Coding Scheme Identification
 * Sequence of the SR. Replacing one with a SNOMED CT code later changes no UID.
 */
final class TriageCodes {
    static final String ICH = "99ICH";
    static final String ICH_SCHEME_NAME = "ich intracranial hemorrhage triage";

    // Document and its context (TID 1500, 1204, 1001/1002/1004)
    static final Code IMAGING_MEASUREMENT_REPORT = new Code("126000", "DCM", "Imaging Measurement Report");
    static final Code LANGUAGE = new Code("121049", "DCM", "Language of Content Item and Descendants");
    static final Code ENGLISH_US = new Code("en-US", "RFC5646", "English (United States)");
    static final Code OBSERVER_TYPE = new Code("121005", "DCM", "Observer Type");
    static final Code DEVICE = new Code("121007", "DCM", "Device");
    static final Code DEVICE_OBSERVER_UID = new Code("121012", "DCM", "Device Observer UID");
    static final Code DEVICE_OBSERVER_NAME = new Code("121013", "DCM", "Device Observer Name");
    static final Code DEVICE_OBSERVER_MANUFACTURER = new Code("121014", "DCM", "Device Observer Manufacturer");
    static final Code DEVICE_OBSERVER_MODEL_NAME = new Code("121015", "DCM", "Device Observer Model Name");
    static final Code PROCEDURE_REPORTED = new Code("121058", "DCM", "Procedure reported");
    static final Code CT_OF_HEAD = new Code("303653007", "SCT", "Computed tomography of head");

    // Image library (TID 1600) and the findings (TID 1501, 300, 4019)
    static final Code IMAGE_LIBRARY = new Code("111028", "DCM", "Image Library");
    static final Code IMAGE_LIBRARY_GROUP = new Code("126200", "DCM", "Image Library Group");
    static final Code IMAGING_MEASUREMENTS = new Code("126010", "DCM", "Imaging Measurements");
    static final Code MEASUREMENT_GROUP = new Code("125007", "DCM", "Measurement Group");
    static final Code TRACKING_IDENTIFIER = new Code("112039", "DCM", "Tracking Identifier");
    static final Code TRACKING_UID = new Code("112040", "DCM", "Tracking Unique Identifier");
    static final Code FINDING = new Code("121071", "DCM", "Finding");
    static final Code PROBABILITY = new Code("122157", "DCM", "Probability");
    static final Code THRESHOLD = new Code("122411", "DCM", "Threshold Value");
    static final Code SOURCE_OF_MEASUREMENT = new Code("121112", "DCM", "Source of Measurement");
    static final Code ALGORITHM_NAME = new Code("111001", "DCM", "Algorithm Name");
    static final Code ALGORITHM_VERSION = new Code("111003", "DCM", "Algorithm Version");
    static final Code ALGORITHM_PARAMETERS = new Code("111002", "DCM", "Algorithm Parameters");
    static final Code NO_UNITS = new Code("1", "UCUM", "no units");
    static final Code YES = new Code("373066001", "SCT", "Yes");
    static final Code NO = new Code("373067005", "SCT", "No");

    // Equipment and references (CID 7005, CID 7202)
    static final Code PROCESSING_EQUIPMENT = new Code("109102", "DCM", "Processing Equipment");
    static final Code SOURCE_FOR_IMAGE_PROCESSING = new Code("121322", "DCM", "Source image for image processing operation");

    private TriageCodes() {
    }

    /** The finding a label's probability is about. */
    static Code finding(Label label) {
        return switch (label) {
            case ANY -> new Code("1386000", "SCT", "Intracranial hemorrhage");
            case SUBARACHNOID -> new Code("21454007", "SCT", "Subarachnoid intracranial hemorrhage");
            case SUBDURAL -> new Code("35486000", "SCT", "Subdural intracranial hemorrhage");
            case EPIDURAL -> new Code("epidural", ICH, "Epidural hemorrhage");
            case INTRAPARENCHYMAL -> new Code("intraparenchymal", ICH, "Intraparenchymal hemorrhage");
            case INTRAVENTRICULAR -> new Code("intraventricular", ICH, "Intraventricular hemorrhage");
        };
    }
}
