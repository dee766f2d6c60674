package dev.ich.ingest;

import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** The one ObjectStore of this service, and the bucket made sure of at startup. */
@ApplicationScoped
public class Storage {
    private static final Logger LOG = Logger.getLogger(Storage.class);

    void onStart(@Observes StartupEvent event, ObjectStore store) {
        try {
            store.ensureBucket();
        } catch (StorageException e) {
            // Not fatal: readiness stays down until storage answers, and every store attempt says why.
            LOG.warnf("object storage is not reachable at startup: %s", e.getMessage());
        }
    }
}
