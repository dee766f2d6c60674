package dev.ich.cleaning;

import dev.ich.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one ObjectStore of this service. The bucket is ingest's to create; cleaning only reads and writes in it. */
@ApplicationScoped
public class Storage {
    @Produces
    @Singleton
    ObjectStore objectStore(StorageConfig config) {
        return new ObjectStore(config.settings());
    }
}
