package dev.ich.core.phantom;

import java.util.Set;
import java.util.SplittableRandom;

/**
 * DICOM UIDs and RSNA-style patient ids for phantoms. UIDs sit under a fixed root (a Medical
 * Connections-style private arc, used for synthetic data only), followed by the seed as an unsigned
 * number, a kind (1 study, 2 series) and the 1-based study number; instances append their 1-based
 * slice number to the series UID. Only digits and dots, no leading zeros, at most 64 characters.
 */
final class Identifiers {
    static final String ROOT = "1.2.826.0.1.3680043.10.1137";

    private Identifiers() {
    }

    static String studyInstanceUid(long seed, int study) {
        return checked(ROOT + "." + Long.toUnsignedString(seed) + ".1." + (study + 1));
    }

    static String seriesInstanceUid(long seed, int study) {
        return checked(ROOT + "." + Long.toUnsignedString(seed) + ".2." + (study + 1));
    }

    static String sopInstanceUid(String studyUid, int slice) {
        return checked(studyUid.replaceFirst("\\.1\\.(\\d+)$", ".2.$1") + "." + (slice + 1));
    }

    /** RSNA style: ID_ and 10 hex digits; drawn again on the rare collision so one patient is one study. */
    static String patientId(SplittableRandom rng, Set<String> taken) {
        String id;
        do {
            id = String.format("ID_%010x", rng.nextLong() & 0xFF_FFFF_FFFFL);
        } while (!taken.add(id));
        return id;
    }

    private static String checked(String uid) {
        if (uid.length() > 64) throw new IllegalStateException("UID longer than 64 characters: " + uid);
        return uid;
    }
}
