package dev.ich.cleaning.problem;

import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** A Vert.x route that fails, as an extension's route might: its failure never passes a Quarkus REST mapper. */
@Singleton
public class ProbeRoute {
    void install(@Observes Router router) {
        router.get("/test-problems/vertx-route").handler(ctx -> {
            throw new IllegalStateException("route failed with " + ProbeResource.SECRET);
        });
    }
}
