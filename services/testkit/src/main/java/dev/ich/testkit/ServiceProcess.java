package dev.ich.testkit;

import dev.ich.core.storage.StorageSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a crash, restart or outage test starts the packaged service of its module ({@link QuarkusJar}): the jar the
 * build made (failsafe names it in the system property {@code <service>.jar}), connected to a broker and a bucket,
 * plus the settings and JVM options the test needs. Immutable: each {@code with} is a new recipe, so a test keeps
 * one for its service and varies it per start (another database file, another work folder).
 */
public final class ServiceProcess {
    private final Path jar;
    private final List<String> jvmOptions;
    private final Map<String, String> env;

    private ServiceProcess(Path jar, List<String> jvmOptions, Map<String, String> env) {
        this.jar = jar;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.env = Map.copyOf(env);
    }

    /** The service {@code name} (cleaning, labeling, ...) as this module packaged it. */
    public static ServiceProcess of(String name) {
        return new ServiceProcess(Path.of(System.getProperty(name + ".jar", "target/quarkus-app/quarkus-run.jar")), List.of(), Map.of());
    }

    /** The same with the environment variable {@code name} set to {@code value}. */
    public ServiceProcess withEnv(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(env);
        more.put(name, value);
        return new ServiceProcess(jar, jvmOptions, more);
    }

    /** The same with the environment variable {@code name} set to the absolute path of {@code path}. */
    public ServiceProcess withPath(String name, Path path) {
        return withEnv(name, path.toAbsolutePath().toString());
    }

    /** The same with one more JVM option ({@code -Xmx512m}, {@code -Dkey=value}). */
    public ServiceProcess withJvmOption(String option) {
        List<String> more = new ArrayList<>(jvmOptions);
        more.add(option);
        return new ServiceProcess(jar, more, env);
    }

    /** Starts the service on the backends' broker and bucket; it logs to {@code logName} in their work folder. */
    public QuarkusJar start(EmbeddedBackends backends, String logName) throws IOException {
        return start(backends.kafkaBootstrap(), backends.storage(), backends.work().resolve(logName));
    }

    /** Starts the service on this broker and bucket (one that may not be up yet); it logs to {@code log}. */
    public QuarkusJar start(String kafkaBootstrap, StorageSettings storage, Path log) throws IOException {
        Map<String, String> all = QuarkusJar.connections(kafkaBootstrap, storage);
        all.putAll(env);
        return QuarkusJar.start(jar, jvmOptions, all, log);
    }
}
