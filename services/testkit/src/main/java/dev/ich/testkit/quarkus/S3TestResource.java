package dev.ich.testkit.quarkus;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import dev.ich.testkit.EmbeddedS3;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.net.URI;
import java.nio.file.Files;
import java.util.Map;

/**
 * A real S3 endpoint (S3Proxy on a temporary directory) for a {@code @QuarkusTest}, with the ich
 * bucket created and {@code ich.storage.*} pointed at it. {@link #store()} gives tests their own
 * client to check what the service wrote. Needs Guice 7 on the test class path: exclude
 * {@code com.google.inject:guice} from {@code quarkus-junit5} (docs/development.md, "Dependencies").
 */
public class S3TestResource implements QuarkusTestResourceLifecycleManager {
    private static volatile StorageSettings settings;
    private static volatile EmbeddedS3 s3;

    @Override
    public Map<String, String> start() {
        try {
            s3 = EmbeddedS3.start(Files.createTempDirectory("ich-test-s3"), 0);
            settings = new StorageSettings(s3.endpoint(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY,
                    ObjectKeys.DEFAULT_BUCKET);
            new ObjectStore(settings).ensureBucket();
            return Map.of("ich.storage.endpoint", settings.endpoint(),
                    "ich.storage.access-key", settings.accessKey(),
                    "ich.storage.secret-key", settings.secretKey(),
                    "ich.storage.bucket", settings.bucket());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test S3 endpoint: " + e.getMessage(), e);
        }
    }

    /** A client on the running endpoint and bucket. */
    public static ObjectStore store() {
        if (settings == null) throw new IllegalStateException("S3TestResource has not started");
        return new ObjectStore(settings);
    }

    /** Stops the endpoint (an outage, for tests of what a service does without storage); objects stay on disk. */
    public static synchronized void stopEndpoint() {
        try {
            if (s3 != null) s3.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the test S3 endpoint: " + e.getMessage(), e);
        }
    }

    /** Serves the same objects again on the same port (the end of the outage). */
    public static synchronized void restartEndpoint() {
        try {
            s3 = EmbeddedS3.start(s3.dataDir(), URI.create(settings.endpoint()).getPort());
        } catch (Exception e) {
            throw new IllegalStateException("cannot restart the test S3 endpoint: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        try {
            if (s3 != null) s3.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the test S3 endpoint: " + e.getMessage(), e);
        }
    }
}
