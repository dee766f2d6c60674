package dev.ich.core.contract;

import java.util.regex.Pattern;

/**
 * Instance, series and study identifiers as they may appear in object keys, event keys, tar entries
 * and URLs. Two forms are safe there:
 * <ul>
 *   <li>DICOM UIDs: digits and dots, at most 64 characters, no empty component, no leading zero in a
 *   component (PS3.5 9.1);</li>
 *   <li>RSNA ids: {@code ID_} and 1 to 61 hex digits (at most 64 characters). The RSNA Intracranial
 *   Hemorrhage Detection data set, the one ich is built for, was de-identified by replacing every UID
 *   with such an id (SOPInstanceUID {@code ID_000012eaf}, StudyInstanceUID {@code ID_1e4b0b9b64}); its
 *   labels name slices by them.</li>
 * </ul>
 * Nothing looser: no slash, no dot-dot, no space, no other letters, so a hostile header can never
 * write outside its prefix. Whether ingest admits RSNA ids at all is its own setting
 * ({@code ich.ingest.accept-rsna-ids}); past ingest, both forms are valid.
 */
public final class Uids {
    private static final Pattern DICOM_FORM = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");
    private static final Pattern RSNA_FORM = Pattern.compile("ID_[0-9A-Fa-f]{1,61}");
    public static final int MAX_LENGTH = 64;
    public static final String RSNA_PREFIX = "ID_";

    private Uids() {
    }

    /** A DICOM UID or an RSNA id: may become part of a key. */
    public static boolean isValid(String uid) {
        return isDicomUid(uid) || isRsnaId(uid);
    }

    /** Digits and dots only, as PS3.5 defines a UID. */
    public static boolean isDicomUid(String uid) {
        return uid != null && uid.length() <= MAX_LENGTH && DICOM_FORM.matcher(uid).matches();
    }

    /** {@code ID_} and 1 to 61 hex digits, as the RSNA data set names its instances, series and studies. */
    public static boolean isRsnaId(String uid) {
        return uid != null && uid.length() <= MAX_LENGTH && RSNA_FORM.matcher(uid).matches();
    }

    /** The UID (either form) itself, or an {@link InvalidUidException} naming the attribute and what is wrong. */
    public static String require(String attribute, String uid) {
        return check(attribute, uid, true);
    }

    /** As {@link #require} but DICOM UIDs only: an RSNA id is refused too (ingest with accept-rsna-ids off). */
    public static String requireDicomUid(String attribute, String uid) {
        return check(attribute, uid, false);
    }

    private static String check(String attribute, String uid, boolean rsnaIds) {
        if (uid == null || uid.isBlank()) throw new InvalidUidException(attribute + " is missing");
        if (uid.length() > MAX_LENGTH) {
            throw new InvalidUidException(attribute + " is " + uid.length() + " characters long; a UID has at most 64");
        }
        if (DICOM_FORM.matcher(uid).matches() || rsnaIds && RSNA_FORM.matcher(uid).matches()) return uid;
        String quoted = attribute + " \"" + printable(uid) + "\"";
        if (!rsnaIds && RSNA_FORM.matcher(uid).matches()) {
            throw new InvalidUidException(quoted + " is an RSNA-style id, not a DICOM UID, and this service takes"
                    + " DICOM UIDs only (only digits and dots); set ich.ingest.accept-rsna-ids=true to accept ID_<hex> ids");
        }
        throw new InvalidUidException(quoted + " is not a UID: only digits and dots, no empty component, no leading zero"
                + (rsnaIds ? "; or an RSNA id: ID_ and 1 to 61 hex digits" : ""));
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** A UID that may not become part of a key. */
    public static final class InvalidUidException extends IllegalArgumentException {
        public InvalidUidException(String reason) {
            super(reason);
        }
    }
}
