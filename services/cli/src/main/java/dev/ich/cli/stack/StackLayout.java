package dev.ich.cli.stack;

import java.nio.file.Path;

/**
 * Where the local stack keeps its state: {@code <home>/.ich/} with data/, logs/, pids/ and
 * stack.env. {@code home} is the repository root (the ./ich script passes it as -Dich.home).
 */
public record StackLayout(Path home) {

    public static StackLayout fromSystem() {
        return new StackLayout(Path.of(System.getProperty("ich.home", ".")).toAbsolutePath().normalize());
    }

    public Path root() {
        return home.resolve(".ich");
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

    public Path stackEnv() {
        return root().resolve("stack.env");
    }
}
