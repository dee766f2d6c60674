package dev.ich.ingest;

import dev.ich.core.dicom.Deidentification;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomRewriter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * De-identification at the door: the DICOM PS3.15 Basic Application Level Confidentiality Profile
 * (core's {@link Deidentification}, on PixelMed), with UIDs retained (ich joins labels on SOP Instance
 * UID), private attributes removed, and two values derived from one secret key and the original
 * PatientID: the pseudonym that replaces PatientID (one patient keeps one key, so datasets still split
 * by patient, and nobody without the key can recompute it from a known PatientID), and, with dates
 * shifted, the number of days that patient's dates move back (the same for all of that patient's
 * instances, so intervals survive; different between patients, so a shifted date does not give the
 * real one away by a known offset).
 * <p>Deterministic: the same instance always gives the same bytes, so a re-sent instance is a duplicate.
 */
public final class Deidentifier {
    /** 12 hex digits = 48 bits: collisions stay unlikely below millions of patients. */
    private static final int KEY_HEX_DIGITS = 12;
    /** Shifts range over 1 to 3650 days (about ten years): never zero, so no patient keeps true dates. */
    static final int MAX_SHIFT_DAYS = 3650;

    private final DicomRewriter rewriter = DicomRewriter.create();
    private final SecretKeySpec key;
    private final Deidentification.Dates dates;
    private final boolean keepPatientCharacteristics;

    /** The defaults: dates shifted, patient characteristics removed. */
    public Deidentifier(String secret) {
        this(secret, Deidentification.Dates.SHIFT, false);
    }

    public Deidentifier(String secret, Deidentification.Dates dates, boolean keepPatientCharacteristics) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("ich.ingest.deidentify.key is required when de-identification is on");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.dates = dates;
        this.keepPatientCharacteristics = keepPatientCharacteristics;
    }

    /** The stored form of a PatientID: {@code ID_} and the first 12 hex digits of HMAC-SHA256(key, id). */
    public String patientKey(String patientId) {
        return "ID_" + HexFormat.of().formatHex(hmac(String.valueOf(patientId))).substring(0, KEY_HEX_DIGITS);
    }

    /**
     * Days this patient's dates move into the past, 1 to {@link #MAX_SHIFT_DAYS}: from HMAC(key, a label
     * and the PatientID), a value independent of the pseudonym, so one does not reveal the other.
     */
    public int dateShiftDays(String patientId) {
        byte[] mac = hmac("date-shift\u0000" + patientId);
        long bits = ByteBuffer.wrap(mac, 0, Long.BYTES).getLong() & Long.MAX_VALUE;
        return 1 + (int) (bits % MAX_SHIFT_DAYS);
    }

    public Deidentification.Dates dates() {
        return dates;
    }

    /** The de-identified instance, PatientID replaced by its key. */
    public byte[] deidentify(byte[] instance, String patientId) throws DicomReadException {
        int shift = dates == Deidentification.Dates.SHIFT ? dateShiftDays(patientId) : 0;
        return rewriter.deidentify(instance, new Deidentification(dates, shift, keepPatientCharacteristics,
                Map.of("PatientID", patientKey(patientId))));
    }

    private byte[] hmac(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
