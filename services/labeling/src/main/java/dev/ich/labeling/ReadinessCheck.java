package dev.ich.labeling;

import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.labeling.table.SliceTable;
import dev.ich.labeling.table.TableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the table answers and the bucket does: without the one nothing can be queried, without the
 * other no image, label upload or dataset. Kafka's side is SmallRye's own check on the channels.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    @Inject
    SliceTable table;

    @Inject
    ObjectStore store;

    @Override
    public HealthCheckResponse call() {
        try {
            long rows = table.count();
            store.stat("labels/readiness-probe");
            return HealthCheckResponse.named("labeling").up().withData("rows", rows).withData("bucket", store.bucket()).build();
        } catch (TableException | StorageException e) {
            return HealthCheckResponse.named("labeling").down().withData("reason", e.getMessage()).build();
        }
    }
}
