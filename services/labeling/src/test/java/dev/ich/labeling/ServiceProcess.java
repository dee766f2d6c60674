package dev.ich.labeling;

import dev.ich.core.storage.StorageSettings;
import dev.ich.testkit.QuarkusJar;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The packaged labeling service on a given table file, as the restart tests need it. */
final class ServiceProcess {
    private static final Path JAR = Path.of(System.getProperty("labeling.jar", "target/quarkus-app/quarkus-run.jar"));

    private ServiceProcess() {
    }

    /** A service whose table lives in {@code database}: the same file is the same volume, a new file a fresh one. */
    static QuarkusJar start(String kafkaBootstrap, StorageSettings s, Path database, Path log) throws IOException {
        Map<String, String> env = QuarkusJar.connections(kafkaBootstrap, s);
        env.put("ICH_LABELING_DATABASE", database.toAbsolutePath().toString());
        env.put("ICH_LABELING_WORK_DIRECTORY", database.resolveSibling(database.getFileName() + ".work").toAbsolutePath().toString());
        return QuarkusJar.start(JAR, List.of(), env, log);
    }
}
