package dev.ich.runtime.operation;

import dev.ich.core.storage.ObjectStore;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Opens a service's {@link OperationStore}s on its bucket, and stops their checkpoints when the service stops. */
@ApplicationScoped
public class OperationStores {
    @Inject
    ObjectStore store;

    @Inject
    OperationsConfig config;

    private final List<OperationStore<?>> open = new CopyOnWriteArrayList<>();

    /** @param prefix one of ObjectKeys' {@code OPERATIONS_*} prefixes */
    public <D> OperationStore<D> open(String prefix, Class<D> details, Function<Operation<D>, String> resubmit) {
        OperationStore<D> s = new OperationStore<>(store, prefix, details, config.checkpointInterval(), resubmit);
        open.add(s);
        return s;
    }

    void stop(@Observes ShutdownEvent ignored) {
        open.forEach(OperationStore::close);
    }
}
