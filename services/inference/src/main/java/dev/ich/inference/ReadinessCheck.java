package dev.ich.inference;

import dev.ich.inference.serving.Serving;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while a model is served: without one every prediction answers 503, so traffic should go elsewhere. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    @Inject
    Serving serving;

    @Override
    public HealthCheckResponse call() {
        return serving.current()
                .map(m -> HealthCheckResponse.named("inference").up().withData("model", m.name()).withData("version", m.version()).build())
                .orElseGet(() -> HealthCheckResponse.named("inference").down().withData("reason", serving.notReadyReason()).build());
    }
}
