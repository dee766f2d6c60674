package dev.ich.core.dicom.results;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The UIDs of result objects, as {@code 2.25.<the decimal of a UUID>} (PS3.5 B.2), the UUID being a name-based
 * version 5 UUID (RFC 4122 4.3, SHA-1) of the study, the model and what the UID names. Derived, not drawn: triaging
 * the same study with the same model again gives the same Series and SOP Instance UIDs, so an export that is
 * retried or repeated replaces nothing and duplicates nothing in the PACS. A new model version gives new objects,
 * which sit beside the old ones.
 */
public final class ResultUids {
    /** The namespace of ich's result UIDs: a fixed random UUID, so no other name-based UUID scheme collides with ours. */
    private static final UUID NAMESPACE = UUID.fromString("6c1f0b9e-3a52-4d4e-9a6b-2f1d0c7e5b83");

    private ResultUids() {
    }

    public static String srSeries(String studyUid, String modelName, String modelVersion) {
        return derive("sr-series", studyUid, modelName, modelVersion);
    }

    /**
     * The SR of one triage: besides study and model, {@code findings} (a digest of what the SR says: see
     * {@link TriageSr}) is part of the name. The same result again is the same instance; a study that completed again
     * with more slices, and so other findings, gets a new SR in the same series instead of new content under an old
     * UID (a PACS keeps the first copy of a UID it holds, and a reader would see stale findings).
     */
    public static String srInstance(String studyUid, String modelName, String modelVersion, String findings) {
        return derive("sr-instance", studyUid, modelName, modelVersion, findings);
    }

    /** One series holds every heatmap capture of a study's triage by one model. */
    public static String captureSeries(String studyUid, String modelName, String modelVersion) {
        return derive("capture-series", studyUid, modelName, modelVersion);
    }

    /** A capture is one key slice for one label: the same slice can be key for two labels, with two heatmaps. */
    public static String captureInstance(String studyUid, String modelName, String modelVersion, String sliceSopUid, String label) {
        return derive("capture-instance", studyUid, modelName, modelVersion, sliceSopUid, label);
    }

    /** The SR's Tracking Unique Identifier of one label's finding group. */
    public static String finding(String studyUid, String modelName, String modelVersion, String label) {
        return derive("finding", studyUid, modelName, modelVersion, label);
    }

    /** The Device Observer UID of the model: the same model version is the same observing device in every study. */
    public static String device(String modelName, String modelVersion) {
        return derive("device", modelName, modelVersion);
    }

    /** {@code 2.25.} and the UUID of the parts as an unsigned decimal: at most 44 characters. */
    static String derive(String kind, String... parts) {
        UUID uuid = nameUuid(name(kind, parts));
        ByteBuffer b = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }

    /** Each part length-prefixed, so no two different lists of parts make the same name ("a|b","c" vs "a","b|c"). */
    private static byte[] name(String kind, String... parts) {
        StringBuilder s = new StringBuilder("ich-result/").append(kind);
        for (String p : parts) {
            if (p == null || p.isEmpty()) throw new IllegalArgumentException(kind + " UID: a part of its name is missing");
            s.append('/').append(p.length()).append(':').append(p);
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static UUID nameUuid(byte[] name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(NAMESPACE.getMostSignificantBits())
                    .putLong(NAMESPACE.getLeastSignificantBits()).array());
            byte[] h = sha1.digest(name);
            h[6] = (byte) (h[6] & 0x0f | 0x50); // version 5
            h[8] = (byte) (h[8] & 0x3f | 0x80); // RFC 4122 variant
            ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
            return new UUID(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }
}
