package dev.ich.ingest;

import dev.ich.core.dicom.DicomEdit;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomRewriter;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * De-identification at the door, after the DICOM basic application level confidentiality profile
 * (PS3.15 E.1): direct identifiers are blanked (type 2, must stay present) or removed (type 3),
 * private attributes are dropped, and PatientID becomes a keyed hash so one patient keeps one key
 * (datasets still split by patient) while the key alone cannot be reversed without the secret.
 * UIDs are kept: ich's keys, events and labels join on them (the RSNA set is already pseudonymous).
 */
public final class Deidentifier {
    static final Set<String> BLANK = Set.of("PatientName", "PatientBirthDate", "PatientSex", "ReferringPhysicianName",
            "AccessionNumber", "StudyID", "StudyDate", "StudyTime");
    static final Set<String> REMOVE = Set.of("PatientAddress", "OtherPatientIDs", "OtherPatientNames", "PatientBirthName",
            "PatientMotherBirthName", "PatientTelephoneNumbers", "MilitaryRank", "MedicalRecordLocator",
            "InstitutionName", "InstitutionAddress", "InstitutionalDepartmentName", "StationName",
            "PerformingPhysicianName", "NameOfPhysiciansReadingStudy", "OperatorsName", "PhysiciansOfRecord",
            "RequestingPhysician", "PatientAge", "PatientSize", "PatientWeight", "EthnicGroup", "Occupation",
            "AdditionalPatientHistory", "PatientComments", "DeviceSerialNumber", "InstanceCreatorUID");
    /** 12 hex digits = 48 bits: collisions stay unlikely below millions of patients. */
    private static final int KEY_HEX_DIGITS = 12;

    private final DicomRewriter rewriter = DicomRewriter.create();
    private final SecretKeySpec key;

    public Deidentifier(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("ich.ingest.deidentify.key is required when de-identification is on");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The stored form of a PatientID: {@code ID_} and the first 12 hex digits of HMAC-SHA256(key, id). */
    public String patientKey(String patientId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(String.valueOf(patientId).getBytes(StandardCharsets.UTF_8));
            return "ID_" + HexFormat.of().formatHex(digest).substring(0, KEY_HEX_DIGITS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The instance with identifiers blanked or removed and PatientID replaced by its key. */
    public byte[] deidentify(byte[] instance, String patientId) throws DicomReadException {
        Map<String, String> replace = Map.of("PatientID", patientKey(patientId), "PatientIdentityRemoved", "YES",
                "DeidentificationMethod", "ich basic profile, PatientID keyed by HMAC-SHA256");
        return rewriter.rewrite(instance, new DicomEdit(REMOVE, BLANK, replace, true));
    }
}
