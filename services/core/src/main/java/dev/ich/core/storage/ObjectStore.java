package dev.ich.core.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.http.HttpUtils;
import io.minio.messages.Item;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The project's S3 client (MinIO's Java client inside): one bucket, byte arrays in and out, and
 * errors that name the object. Thread-safe; share one per service.
 */
public final class ObjectStore {
    /** MinIO's own default for connect, read and write. */
    private static final long TIMEOUT_MS = TimeUnit.MINUTES.toMillis(5);

    private final MinioClient client;
    /** The same connections, for the calls a caller overlaps with its own work ({@link #statAsync}). */
    private final MinioAsyncClient async;
    private final String bucket;

    public ObjectStore(StorageSettings settings) {
        OkHttpClient http = httpClient(settings.endpoint());
        this.client = MinioClient.builder().endpoint(settings.endpoint()).credentials(settings.accessKey(), settings.secretKey())
                .httpClient(http).build();
        this.async = MinioAsyncClient.builder().endpoint(settings.endpoint()).credentials(settings.accessKey(), settings.secretKey())
                .httpClient(http).build();
        this.bucket = settings.bucket();
    }

    /**
     * MinIO's default HTTP client; for a plain-http endpoint, without TLS. MinIO rebuilds its client for every PUT of a
     * stream; with TLS configured each rebuild sets up the certificate chain cleaner again and, when SSL_CERT_FILE names a
     * bundle equal to the JDK's, compares the two trust stores certificate by certificate: a tenth of ingest's CPU per
     * instance in the STOW-RS profile (docs/benchmarks.md, "Ingest"). Without TLS there is nothing to set up.
     */
    private static OkHttpClient httpClient(String endpoint) {
        OkHttpClient http = HttpUtils.newDefaultHttpClient(TIMEOUT_MS, TIMEOUT_MS, TIMEOUT_MS);
        if (!endpoint.regionMatches(true, 0, "http://", 0, "http://".length())) return http;
        return http.newBuilder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
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
                return Optional.of(stored(key, client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build())));
            } catch (ErrorResponseException e) {
                if (absent(e)) return Optional.empty();
                throw e;
            }
        });
    }

    /**
     * As {@link #stat}, without holding the caller's thread: the request runs on the HTTP client's threads. Fails with a
     * {@link StorageException} (inside the future's {@link CompletionException}) as {@link #stat} throws it.
     */
    public CompletableFuture<Optional<StoredObject>> statAsync(String key) {
        String what = "stat " + key;
        CompletableFuture<StatObjectResponse> response;
        try {
            response = async.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(failure(what, e));
        }
        return response.handle((r, e) -> {
            if (e == null) return Optional.of(stored(key, r));
            Throwable cause = e;
            while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (absent(cause)) return Optional.empty();
            throw new CompletionException(failure(what, cause));
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

    private static StoredObject stored(String key, StatObjectResponse r) {
        Map<String, String> meta = new HashMap<>();
        r.userMetadata().forEach((k, v) -> meta.put(k.toLowerCase(Locale.ROOT), v));
        return new StoredObject(key, r.size(), r.etag(), meta);
    }

    private static boolean absent(Throwable e) {
        return e instanceof ErrorResponseException r
                && ("NoSuchKey".equals(r.errorResponse().code()) || "NoSuchObject".equals(r.errorResponse().code()));
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw failure(what, e);
        }
    }

    private StorageException failure(String what, Throwable e) {
        if (e instanceof ErrorResponseException r) {
            return new StorageException(what + " in bucket " + bucket + ": " + r.errorResponse().code() + " "
                    + r.errorResponse().message(), e);
        }
        return new StorageException(what + " in bucket " + bucket + " failed: " + e, e);
    }
}
