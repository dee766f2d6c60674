package dev.ich.labeling;

import dev.ich.labeling.table.SliceTable;
import dev.ich.labeling.table.TableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the table answers: without it nothing can be queried. The bucket is runtime's StorageReadiness, Kafka's
 * side SmallRye's own check on the channels.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    @Inject
    SliceTable table;

    @Override
    public HealthCheckResponse call() {
        try {
            return HealthCheckResponse.named("labeling").up().withData("rows", table.count()).build();
        } catch (TableException e) {
            return HealthCheckResponse.named("labeling").down().withData("reason", e.getMessage()).build();
        }
    }
}
