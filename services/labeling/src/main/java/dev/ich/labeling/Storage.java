package dev.ich.labeling;

import dev.ich.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one ObjectStore of this service: reads raw and cleaned slices, writes label uploads and datasets. */
@ApplicationScoped
public class Storage {
    @Produces
    @Singleton
    ObjectStore objectStore(StorageConfig config) {
        return new ObjectStore(config.settings());
    }
}
