package dev.ich.cleaning;

import dev.ich.core.storage.StorageSettings;
import dev.ich.testkit.QuarkusJar;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The packaged cleaning service with the settings the crash and outage tests need. */
final class ServiceProcess {
    private static final Path JAR = Path.of(System.getProperty("cleaning.jar", "target/quarkus-app/quarkus-run.jar"));

    private ServiceProcess() {
    }

    static QuarkusJar start(String kafkaBootstrap, StorageSettings s, Path log) throws IOException {
        Map<String, String> env = QuarkusJar.connections(kafkaBootstrap, s);
        env.put("ICH_CLEANING_WORKERS", "2");
        env.put("ICH_CLEANING_STORAGE_BACKOFF", "100ms");
        // A short session timeout: the broker gives a killed instance's partitions away sooner (45 s by default).
        return QuarkusJar.start(JAR, List.of("-Dmp.messaging.incoming.dicom-ingested.session.timeout.ms=6000"), env, log);
    }
}
