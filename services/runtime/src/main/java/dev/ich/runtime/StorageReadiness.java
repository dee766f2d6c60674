package dev.ich.runtime;

import dev.ich.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the bucket does not answer: every service that keeps its work there (raw and cleaned slices, the
 * table's images and labels, datasets, jobs and models) would fail each request or message. One check for all of them,
 * named {@value #NAME}; a service adds its own readiness beside it (labeling's table, training's launcher). Inference
 * leaves it out (its application.properties): it predicts from the model in memory while storage is away.
 */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {
    static final String NAME = "object storage";
    /** Asked for, never written: its absence is an answer too. */
    static final String PROBE_KEY = "health/readiness-probe";

    @Inject
    ObjectStore store;

    @Override
    public HealthCheckResponse call() {
        try {
            store.stat(PROBE_KEY);
            return HealthCheckResponse.named(NAME).up().withData("bucket", store.bucket()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named(NAME).down().withData("reason", String.valueOf(e.getMessage())).build();
        }
    }
}
