package dev.ich.training;

import dev.ich.training.launch.Launcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the launcher can launch (the trainer jar exists, the Job template parses). The bucket (jobs, specs and
 * models live there) is runtime's StorageReadiness, Kafka's side SmallRye's own check on the channels.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    @Inject
    Launcher launcher;

    @Override
    public HealthCheckResponse call() {
        String notReady = launcher.notReadyReason();
        if (notReady != null) return HealthCheckResponse.named("training").down().withData("reason", notReady).build();
        return HealthCheckResponse.named("training").up().withData("launcher", launcher.name()).build();
    }
}
