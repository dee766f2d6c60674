package dev.ich.ingest;

import dev.ich.ingest.StoreOutcome.Rejected;

/**
 * What the DIMSE door answers for one C-STORE: the Status (0000,0900) of PS3.4 Annex GG (Storage Service
 * Class) and PS3.7 9.1.1.1.9 (C-STORE's general statuses), and the Error Comment (0000,0902) that carries
 * the reason. Which {@link Rejection} gets which status is decided in {@link Rejection} itself.
 */
public final class CStoreStatus {
    public static final int SUCCESS = 0x0000;
    /** PS3.7 C.5.x "Refused: Not Authorized": refused by ich's policy (Modality, never overwriting). */
    static final int NOT_AUTHORIZED = 0x0124;
    /** Annex GG A7xx "Refused: Out of Resources": nothing durable happened; sending later may succeed. */
    static final int OUT_OF_RESOURCES = 0xA700;
    /** Annex GG A9xx "Error: Data Set Does Not Match SOP Class": a required UID missing or malformed. */
    static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** Annex GG Cxxx "Error: Cannot Understand": not DICOM, truncated, unreadable. */
    static final int CANNOT_UNDERSTAND = 0xC000;

    /** Error Comment is LO: at most 64 characters. */
    static final int MAX_COMMENT = 64;

    private CStoreStatus() {
    }

    /** Success for a stored instance or an identical duplicate, else the rejection's status. */
    public static int of(StoreOutcome outcome) {
        return outcome instanceof Rejected r ? r.code().dimseStatus() : SUCCESS;
    }

    /**
     * The reason as an LO value: default repertoire without backslash or control characters, at most 64
     * characters. A longer reason first loses the SOP Instance UID (the response names it in Affected SOP
     * Instance UID), then its parenthesised details (digests, setting names), then is cut at a word with
     * "...", so the part a person acts on survives; the full reason is in ingest's log and audit trail.
     */
    public static String errorComment(String reason, String sopInstanceUid) {
        String s = reason.replaceAll("[^\\x20-\\x7e]|\\\\", " ").replaceAll(" {2,}", " ").strip();
        if (s.length() > MAX_COMMENT && sopInstanceUid != null && !sopInstanceUid.isBlank()) {
            s = s.replace(" " + sopInstanceUid, "");
        }
        if (s.length() > MAX_COMMENT) s = s.replaceAll("\\s*\\([^()]*\\)", "");
        if (s.length() <= MAX_COMMENT) return s;
        int cut = s.lastIndexOf(' ', MAX_COMMENT - 3);
        return s.substring(0, cut > MAX_COMMENT / 2 ? cut : MAX_COMMENT - 3) + "...";
    }
}
