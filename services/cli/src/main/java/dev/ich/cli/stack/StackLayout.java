package dev.ich.cli.stack;

import java.nio.file.Path;

/**
 * Where the local stack keeps its state: {@code root} (default {@code <home>/.ich/}) with data/, logs/, pids/, run/ and
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

    /**
     * Where the components write their ready files (and nothing else of the stack's): theirs to write, as the
     * unprivileged user they may run as (StackUser), while pid files stay with whoever runs ./ich.
     */
    public Path run() {
        return root().resolve("run");
    }

    /** Written by an infrastructure component once it serves (S3: with the bucket; Kafka: with every topic). */
    public Path ready(String component) {
        return run().resolve(component + ".ready");
    }

    /** The local OIDC provider's RSA signing key (a JWK), made by it on first start, owner-only, kept across restarts. */
    public Path oidcSigningKey() {
        return data().resolve("oidc").resolve("signing-key.json");
    }

    /** The ports, address and settings the stack was started with, so a later up restarts a component the same way. */
    public Path stackProperties() {
        return root().resolve("stack.properties");
    }

    /** HOME of the stack's processes when they run as the system user (DJL unpacks libtorch below it). */
    public Path userHome() {
        return root().resolve("home");
    }

    /** Copies (or links) of the launcher's classpath entries that the system user could not read where they are. */
    public Path lib() {
        return root().resolve("lib");
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
