package dev.ich.training;

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
    private static final Path JAR = Path.of(System.getProperty("training.jar", "target/quarkus-app/quarkus-run.jar"));
    static final Path TRAINER = Path.of(System.getProperty("ich.trainer.jar", "../trainer/target/ich-trainer.jar"));
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");

    private final Process process;
    private final Path log;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** A local-launcher service whose trainers work (and log) in {@code work}. */
    static ServiceProcess start(String kafkaBootstrap, StorageSettings s, Path work, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", JAR.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap, "ICH_STORAGE_ENDPOINT", s.endpoint(),
                "ICH_STORAGE_ACCESS_KEY", s.accessKey(), "ICH_STORAGE_SECRET_KEY", s.secretKey(), "ICH_STORAGE_BUCKET", s.bucket(),
                "ICH_TRAINING_LOCAL_TRAINER_JAR", TRAINER.toAbsolutePath().toString(),
                "ICH_TRAINING_LOCAL_WORK_DIRECTORY", work.toAbsolutePath().toString(),
                "ICH_TRAINING_LOCAL_JAVA_OPTIONS", "-Xmx768m", "QUARKUS_HTTP_PORT", "0"));
        long before = Files.exists(log) ? Files.size(log) : 0;
        ServiceProcess p = new ServiceProcess(pb.start(), log);
        p.skip = before;
        return p;
    }

    private long skip;

    /** The HTTP base URL, once the service has logged that it listens. */
    String url() {
        String port = await().atMost(Duration.ofSeconds(90)).until(() -> {
            if (!process.isAlive()) throw new AssertionError("the service exited: see " + log);
            Matcher m = LISTENING.matcher(log().substring((int) Math.min(skip, log().length())));
            return m.find() ? m.group(1) : null;
        }, p -> p != null);
        return "http://127.0.0.1:" + port;
    }

    String log() throws java.io.IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGTERM, as Kubernetes or ./ich down stop it, and wait for the shutdown hooks. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
