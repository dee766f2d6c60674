package dev.ich.training;

import dev.ich.core.storage.StorageSettings;
import dev.ich.testkit.QuarkusJar;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The packaged training service with the local launcher, as the restart test needs it. */
final class ServiceProcess {
    private static final Path JAR = Path.of(System.getProperty("training.jar", "target/quarkus-app/quarkus-run.jar"));
    static final Path TRAINER = Path.of(System.getProperty("ich.trainer.jar", "../trainer/target/ich-trainer.jar"));

    private ServiceProcess() {
    }

    /** A local-launcher service whose trainers work (and log) in {@code work}. */
    static QuarkusJar start(String kafkaBootstrap, StorageSettings s, Path work, Path log) throws IOException {
        Map<String, String> env = QuarkusJar.connections(kafkaBootstrap, s);
        env.put("ICH_TRAINING_LOCAL_TRAINER_JAR", TRAINER.toAbsolutePath().toString());
        env.put("ICH_TRAINING_LOCAL_WORK_DIRECTORY", work.toAbsolutePath().toString());
        env.put("ICH_TRAINING_LOCAL_JAVA_OPTIONS", "-Xmx768m");
        return QuarkusJar.start(JAR, List.of("-Xmx512m"), env, log);
    }
}
