package dev.ich.cleaning;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the bucket answers: without storage every message would end in the dead-letter
 * topic. Kafka's side is SmallRye's own readiness check on the channels.
 */
@Readiness
@ApplicationScoped
public class StorageHealthCheck implements HealthCheck {
    @Inject
    ObjectStore store;

    @Inject
    Pipelines pipelines;

    @Override
    public HealthCheckResponse call() {
        try {
            store.stat(ObjectKeys.pipeline(pipelines.current().version()));
            return HealthCheckResponse.named("object storage").up().withData("bucket", store.bucket()).build();
        } catch (StorageException e) {
            return HealthCheckResponse.named("object storage").down().withData("reason", e.getMessage()).build();
        }
    }
}
