package dev.ich.ingest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of an instance's data set, without the Part 10 preamble and file meta information. The
 * same instance arriving by different doors differs only there (a C-STORE receiver writes its own
 * meta header; so does every tool that copies a file), so duplicates are recognised by this digest,
 * while the event's {@code sha256} stays the digest of the bytes actually stored.
 */
public final class DatasetDigest {
    /** User metadata key next to {@code sha256} on every raw object. */
    static final String METADATA_KEY = "dataset-sha256";
    /** Small enough that a chunk is still in the CPU's cache when the second digest reads it. */
    private static final int CHUNK = 32 * 1024;

    /** The digest of the bytes as stored, and of their data set. */
    record Both(String sha256, String dataset) {
    }

    private DatasetDigest() {
    }

    /** Both digests in one pass over the bytes: each chunk is read from memory once and fed to both. */
    static Both both(byte[] b) {
        int from = dataSetOffset(b);
        MessageDigest file = sha256();
        MessageDigest dataset = sha256();
        for (int at = 0; at < b.length; at += CHUNK) {
            int n = Math.min(CHUNK, b.length - at);
            file.update(b, at, n);
            if (at + n > from) {
                int skip = Math.max(0, from - at);
                dataset.update(b, at + skip, n - skip);
            }
        }
        return new Both(HexFormat.of().formatHex(file.digest()), HexFormat.of().formatHex(dataset.digest()));
    }

    static String of(byte[] b) {
        int from = dataSetOffset(b);
        MessageDigest sha = sha256();
        sha.update(b, from, b.length - from);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Where the data set starts: after the meta group, whose length (0002,0000) is the first element
     * after "DICM" (explicit VR little endian: tag, "UL", 2-byte length 4, 4-byte value). Files without
     * a meta header, or with one that lacks the group length, are digested whole.
     */
    public static int dataSetOffset(byte[] b) {
        boolean part10 = b.length >= 144 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M';
        if (!part10 || b[132] != 0x02 || b[133] != 0x00 || b[134] != 0x00 || b[135] != 0x00 || b[136] != 'U' || b[137] != 'L') {
            return 0;
        }
        long length = (b[140] & 0xffL) | (b[141] & 0xffL) << 8 | (b[142] & 0xffL) << 16 | (b[143] & 0xffL) << 24;
        long end = 144 + length;
        return end <= b.length ? (int) end : 0;
    }
}
