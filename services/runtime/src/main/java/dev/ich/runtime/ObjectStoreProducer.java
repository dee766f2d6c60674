package dev.ich.runtime;

import dev.ich.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one ObjectStore of a service, on the bucket {@link StorageConfig} names. */
@ApplicationScoped
public class ObjectStoreProducer {
    @Produces
    @Singleton
    ObjectStore objectStore(StorageConfig config) {
        return new ObjectStore(config.settings());
    }
}
