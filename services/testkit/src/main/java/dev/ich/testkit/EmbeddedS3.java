package dev.ich.testkit;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A real S3 endpoint in this JVM: S3Proxy over jclouds' filesystem back end, objects under
 * {@code dataDir}. The MinIO client talks to it as to MinIO (signature v4). Bind to port 0 for a
 * free port (tests) or a fixed one (the local stack).
 */
public final class EmbeddedS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "ich-local";
    public static final String SECRET_KEY = "ich-local-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final Path dataDir;
    private final String host;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, Path dataDir, String host) {
        this.proxy = proxy;
        this.context = context;
        this.dataDir = dataDir;
        this.host = host;
    }

    /** Starts on 127.0.0.1:{@code port} (0 for any free port) and waits until it serves. */
    public static EmbeddedS3 start(Path dataDir, int port) throws Exception {
        return start(dataDir, "127.0.0.1", port);
    }

    /**
     * Starts on {@code bindHost}:{@code port} (the local stack's {@code --listen}); a wildcard address binds every
     * interface while {@link #endpoint()} names loopback.
     */
    public static EmbeddedS3 start(Path dataDir, String bindHost, int port) throws Exception {
        Files.createDirectories(dataDir);
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(props).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://" + uriHost(bindHost) + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            context.close();
            throw new IllegalStateException("cannot start the embedded S3 endpoint on port " + port
                    + (port == 0 ? "" : " (is the port in use? choose another)") + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("embedded S3 did not start in 30 s");
            Thread.onSpinWait();
        }
        return new EmbeddedS3(proxy, context, dataDir, Hosts.connectable(bindHost));
    }

    public String endpoint() {
        return "http://" + uriHost(host) + ":" + proxy.getPort();
    }

    private static String uriHost(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public int port() {
        return proxy.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            context.close();
        }
    }
}
