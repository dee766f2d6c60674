package dev.ich.labeling;

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
    private static final Path JAR = Path.of(System.getProperty("labeling.jar", "target/quarkus-app/quarkus-run.jar"));
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");

    private final Process process;
    private final Path log;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** A service whose table lives in {@code database}: the same file is the same volume, a new file a fresh one. */
    static ServiceProcess start(String kafkaBootstrap, StorageSettings s, Path database, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap, "ICH_STORAGE_ENDPOINT", s.endpoint(),
                "ICH_STORAGE_ACCESS_KEY", s.accessKey(), "ICH_STORAGE_SECRET_KEY", s.secretKey(), "ICH_STORAGE_BUCKET", s.bucket(),
                "ICH_LABELING_DATABASE", database.toAbsolutePath().toString(),
                "ICH_LABELING_WORK_DIRECTORY", database.resolveSibling(database.getFileName() + ".work").toAbsolutePath().toString(),
                "QUARKUS_HTTP_PORT", "0"));
        return new ServiceProcess(pb.start(), log);
    }

    /** The HTTP base URL, once the service has logged that it listens. */
    String url() {
        String port = await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!process.isAlive()) throw new AssertionError("the service exited: see " + log);
            Matcher m = LISTENING.matcher(log());
            return m.find() ? m.group(1) : null;
        }, p -> p != null);
        return "http://127.0.0.1:" + port;
    }

    /** Everything the service logged so far. */
    String log() throws java.io.IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGKILL: no shutdown hook, the database not closed, no checkpoint of its write-ahead log. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
