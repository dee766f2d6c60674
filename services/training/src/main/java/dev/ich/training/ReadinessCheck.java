package dev.ich.training;

import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.training.launch.Launcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the bucket answers (jobs, specs and models live there) and the launcher can launch (the trainer jar
 * exists, the Job template parses). Kafka's side is SmallRye's own check on the channels.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    @Inject
    ObjectStore store;

    @Inject
    Launcher launcher;

    @Override
    public HealthCheckResponse call() {
        try {
            store.stat("jobs/readiness-probe");
        } catch (StorageException e) {
            return HealthCheckResponse.named("training").down().withData("reason", e.getMessage()).build();
        }
        String notReady = launcher.notReadyReason();
        if (notReady != null) return HealthCheckResponse.named("training").down().withData("reason", notReady).build();
        return HealthCheckResponse.named("training").up().withData("bucket", store.bucket()).withData("launcher", launcher.name()).build();
    }
}
