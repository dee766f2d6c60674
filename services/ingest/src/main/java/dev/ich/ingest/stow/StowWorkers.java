package dev.ich.ingest.stow;

import dev.ich.ingest.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The bounded pool STOW-RS requests ingest their parts on. Separate from Quarkus' worker pool, which
 * runs the requests themselves: a request waiting for its parts must not starve them of threads.
 */
@ApplicationScoped
public class StowWorkers {

    @Produces
    @Singleton
    @Named("stow-workers")
    ExecutorService workers(IngestConfig config) {
        return Executors.newFixedThreadPool(config.stowThreads(), r -> {
            Thread t = new Thread(r, "ich-stow-worker");
            t.setDaemon(true);
            return t;
        });
    }

    void close(@Disposes @Named("stow-workers") ExecutorService workers) {
        workers.shutdownNow();
    }
}
