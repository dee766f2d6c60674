package dev.ich.ingest;

import dev.ich.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while the bucket cannot be reached: every instance would fail with StorageFailed. */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {
    @Inject
    ObjectStore store;

    @Override
    public HealthCheckResponse call() {
        try {
            store.stat("ingest/readiness-probe");
            return HealthCheckResponse.named("object storage").up().withData("bucket", store.bucket()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("object storage").down().withData("reason", e.getMessage()).build();
        }
    }
}
