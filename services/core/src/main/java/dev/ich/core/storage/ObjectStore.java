package dev.ich.core.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The project's S3 client (MinIO's Java client inside): one bucket, byte arrays in and out, and
 * errors that name the object. Thread-safe; share one per service.
 */
public final class ObjectStore {
    private final MinioClient client;
    private final String bucket;

    public ObjectStore(StorageSettings settings) {
        this.client = MinioClient.builder().endpoint(settings.endpoint())
                .credentials(settings.accessKey(), settings.secretKey()).build();
        this.bucket = settings.bucket();
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket when it does not exist yet. */
    public void ensureBucket() {
        call("create bucket " + bucket, () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            return null;
        });
    }

    public void put(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
        call("put " + key, () -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType(contentType)
                .userMetadata(metadata).build()));
    }

    /** Streams a file into the bucket (manifests and shards are too big to hold as one array comfortably). */
    public void putFile(String key, java.nio.file.Path file, String contentType) {
        call("put " + key, () -> {
            client.uploadObject(io.minio.UploadObjectArgs.builder().bucket(bucket).object(key)
                    .filename(file.toString()).contentType(contentType).build());
            return null;
        });
    }

    public byte[] get(String key) {
        return call("get " + key, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return in.readAllBytes();
            }
        });
    }

    /** The object's size and metadata, or empty when there is no such object. */
    public Optional<StoredObject> stat(String key) {
        return call("stat " + key, () -> {
            try {
                StatObjectResponse r = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
                Map<String, String> meta = new HashMap<>();
                r.userMetadata().forEach((k, v) -> meta.put(k.toLowerCase(Locale.ROOT), v));
                return Optional.of(new StoredObject(key, r.size(), r.etag(), meta));
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    public void delete(String key) {
        call("delete " + key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    /**
     * Every object under {@code prefix}, recursively, fetched lazily page by page; metadata is not
     * fetched. Directory markers (keys ending in "/", which filesystem back ends report) are skipped.
     */
    public Iterable<StoredObject> list(String prefix) {
        return list(prefix, null);
    }

    /**
     * As {@link #list(String)}, only the keys that sort after {@code startAfter} (S3's start-after; null: all), so a
     * caller whose keys sort by time lists only what is new.
     */
    public Iterable<StoredObject> list(String prefix, String startAfter) {
        ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true);
        if (startAfter != null) args.startAfter(startAfter);
        return () -> new Iterator<>() {
            private final Iterator<Result<Item>> items = client.listObjects(args.build()).iterator();
            private StoredObject next = advance();

            private StoredObject advance() {
                while (items.hasNext()) {
                    Item item = call("list " + prefix, () -> items.next().get());
                    if (!item.isDir() && !item.objectName().endsWith("/")) {
                        return new StoredObject(item.objectName(), item.size(), item.etag(), Map.of());
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public StoredObject next() {
                if (next == null) throw new NoSuchElementException();
                StoredObject current = next;
                next = advance();
                return current;
            }
        };
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (ErrorResponseException e) {
            throw new StorageException(what + " in bucket " + bucket + ": " + e.errorResponse().code() + " "
                    + e.errorResponse().message(), e);
        } catch (Exception e) {
            throw new StorageException(what + " in bucket " + bucket + " failed: " + e, e);
        }
    }
}
