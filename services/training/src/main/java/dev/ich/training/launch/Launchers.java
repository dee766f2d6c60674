package dev.ich.training.launch;

import dev.ich.core.storage.ObjectStore;
import dev.ich.runtime.StorageConfig;
import dev.ich.training.TrainingConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The one {@link Launcher}, chosen by {@code ich.training.launcher}; the Kubernetes client is only built when it is used. */
@ApplicationScoped
public class Launchers {
    private Launcher launcher;

    @Produces
    @Singleton
    Launcher launcher(TrainingConfig config, StorageConfig storage, ObjectStore store, Instance<KubernetesClient> kubernetes,
                      @ConfigProperty(name = "kafka.bootstrap.servers") String kafka) {
        launcher = switch (config.launcher()) {
            case "local" -> new LocalProcessLauncher(config.local().trainerJar(), config.local().javaOptions(),
                    config.local().workDirectory(), storage.settings(), kafka, store);
            case "kubernetes" -> new KubernetesLauncher(kubernetes.get(), config.kubernetes().template(), config.kubernetes().namespace(),
                    config.kubernetes().queueName(), KubernetesLauncher.defaultTrainerEnv(kafka, storage.endpoint(), storage.bucket()),
                    config.kubernetes().pollInterval());
            default -> throw new IllegalStateException("ich.training.launcher must be local or kubernetes, not '" + config.launcher() + "'");
        };
        return launcher;
    }

    void stop(@Observes ShutdownEvent stop) {
        if (launcher instanceof LocalProcessLauncher local) local.shutdown();
        if (launcher instanceof KubernetesLauncher k8s) k8s.shutdown();
    }
}
