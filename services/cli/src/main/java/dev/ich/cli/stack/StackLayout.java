package dev.ich.cli.stack;

import java.nio.file.Path;

/**
 * Where the local stack keeps its state: {@code root} (default {@code <home>/.ich/}) with data/, logs/, pids/ and
 * stack.env. {@code home} is the repository root (the ./ich script passes it as -Dich.home), where the services'
 * jars are. {@code ICH_STATE_DIR} moves the state elsewhere, so a second stack (the end-to-end test's) can run
 * beside a developer's own.
 */
public record StackLayout(Path home, Path root) {

    public StackLayout(Path home) {
        this(home, home.resolve(".ich"));
    }

    public static StackLayout fromSystem() {
        Path home = Path.of(System.getProperty("ich.home", ".")).toAbsolutePath().normalize();
        String state = System.getenv("ICH_STATE_DIR");
        return state == null || state.isBlank() ? new StackLayout(home) : new StackLayout(home, Path.of(state).toAbsolutePath().normalize());
    }

    public Path data() {
        return root().resolve("data");
    }

    public Path logs() {
        return root().resolve("logs");
    }

    public Path pids() {
        return root().resolve("pids");
    }

    public Path pidFile(String component) {
        return pids().resolve(component + ".pid");
    }

    public Path log(String component) {
        return logs().resolve(component + ".log");
    }

    /** Written by the infrastructure process once Kafka and S3 serve: the endpoints, one per line. */
    public Path infraReady() {
        return root().resolve("infra.ready");
    }

    /**
     * The local stack's own secret: the key of ingest's patient pseudonyms, made once so a patient keeps one
     * pseudonym across restarts (a site's comes from a Kubernetes Secret).
     */
    public Path pseudonymKey() {
        return root.resolve("secrets").resolve("pseudonym-key");
    }

    public Path stackEnv() {
        return root().resolve("stack.env");
    }
}
