package dev.ich.core.storage;

import java.util.Map;

/** What the store knows about an object without fetching it. */
public record StoredObject(String key, long size, String etag, Map<String, String> metadata) {
    /** User metadata key under which ich records the SHA-256 of the bytes it stored. */
    public static final String SHA256 = "sha256";

    public String sha256() {
        return metadata.get(SHA256);
    }
}
