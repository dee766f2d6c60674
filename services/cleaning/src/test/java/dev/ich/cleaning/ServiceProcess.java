package dev.ich.cleaning;

import dev.ich.core.storage.StorageSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/** The packaged service (quarkus-run.jar) as a child process, configured only through its environment, like in production. */
final class ServiceProcess implements AutoCloseable {
    private static final Path JAR = Path.of(System.getProperty("cleaning.jar", "target/quarkus-app/quarkus-run.jar"));
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");

    private final Process process;
    private final Path log;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(String kafkaBootstrap, StorageSettings s, Path log) throws Exception {
        // A short session timeout: the broker gives a killed instance's partitions away sooner (45 s by default).
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmp.messaging.incoming.dicom-ingested.session.timeout.ms=6000", "-jar", JAR.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap, "ICH_STORAGE_ENDPOINT", s.endpoint(),
                "ICH_STORAGE_ACCESS_KEY", s.accessKey(), "ICH_STORAGE_SECRET_KEY", s.secretKey(), "ICH_STORAGE_BUCKET", s.bucket(),
                "QUARKUS_HTTP_PORT", "0", "ICH_CLEANING_WORKERS", "2", "ICH_CLEANING_STORAGE_BACKOFF", "100ms"));
        return new ServiceProcess(pb.start(), log);
    }

    /** The HTTP base URL, once the service has logged that it listens. */
    String url() {
        String port = await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!process.isAlive()) throw new AssertionError("the service exited: see " + log);
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            return m.find() ? m.group(1) : null;
        }, p -> p != null);
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook, no final offset commit. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
