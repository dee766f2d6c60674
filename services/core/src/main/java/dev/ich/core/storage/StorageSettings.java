package dev.ich.core.storage;

/**
 * Where the object store is: an S3 endpoint (MinIO in a cluster, the embedded S3Proxy locally),
 * credentials and the one bucket.
 */
public record StorageSettings(String endpoint, String accessKey, String secretKey, String bucket) {
    public StorageSettings {
        if (endpoint == null || endpoint.isBlank()) throw new IllegalArgumentException("storage endpoint is missing");
        if (bucket == null || bucket.length() < 3) throw new IllegalArgumentException("bucket names need 3 or more characters");
    }
}
