package dev.ich.testkit;

import dev.ich.core.storage.StorageSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A packaged Quarkus service ({@code target/quarkus-app/quarkus-run.jar}) as a child process, configured only
 * through its environment as in production: what crash, restart and outage tests need (SIGKILL, a second
 * process on the same volume), which an in-JVM {@code @QuarkusTest} cannot do.
 */
public final class QuarkusJar implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");
    private static final Pattern MANAGEMENT = Pattern.compile("Management interface listening on http://[^:]+:(\\d+)");
    /** One OIDC provider for every child service of this JVM, as a site has one issuer for all its services. */
    private static EmbeddedOidc issuer;

    private final Process process;
    private final Path log;

    private QuarkusJar(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * The environment that points a service at a broker, a bucket and this JVM's OIDC issuer ({@link #token}), on free
     * HTTP and management ports.
     */
    public static Map<String, String> connections(String kafkaBootstrap, StorageSettings s) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        env.put("ICH_STORAGE_ENDPOINT", s.endpoint());
        env.put("ICH_STORAGE_ACCESS_KEY", s.accessKey());
        env.put("ICH_STORAGE_SECRET_KEY", s.secretKey());
        env.put("ICH_STORAGE_BUCKET", s.bucket());
        env.put("QUARKUS_HTTP_PORT", "0");
        env.put("QUARKUS_MANAGEMENT_PORT", "0");
        env.put("ICH_AUTH_ISSUER_URL", issuer().issuerUrl());
        env.put("ICH_AUTH_AUDIENCE", EmbeddedOidc.AUDIENCE);
        return env;
    }

    /** A token of the local client {@code clientId} (a role name) from the issuer the child services trust. */
    public static String token(String clientId) {
        return issuer().token(clientId);
    }

    private static synchronized EmbeddedOidc issuer() {
        if (issuer == null) issuer = EmbeddedOidc.start(0);
        return issuer;
    }

    /** Starts {@code jar} with this JVM's java, extra JVM options and environment; output goes to {@code log}. */
    public static QuarkusJar start(Path jar, List<String> jvmOptions, Map<String, String> env, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) throw new IOException("no packaged service at " + jar.toAbsolutePath() + ": run mvn package first");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new QuarkusJar(pb.start(), log);
    }

    /** The HTTP base URL of the API, once the service has logged that it listens (at most a minute). */
    public String url() throws IOException, InterruptedException {
        return awaitListening(LISTENING);
    }

    /** The base URL of the management interface (health, metrics, OpenAPI). */
    public String managementUrl() throws IOException, InterruptedException {
        return awaitListening(MANAGEMENT);
    }

    private String awaitListening(Pattern listening) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("the service exited with " + process.exitValue() + ": see " + log);
            Matcher m = listening.matcher(log());
            if (m.find()) return "http://127.0.0.1:" + m.group(1);
            Thread.sleep(200); // nothing to wait on but the log file
        }
        throw new IllegalStateException("the service did not listen within a minute: see " + log);
    }

    /** Everything the service logged so far. */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGKILL: no shutdown hook, no final commit, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
