package dev.ich.runtime.operation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ich.core.event.Events;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;
import dev.ich.runtime.DaemonThreads;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The operations of one kind of work, kept where every replica reads them (docs/operations.md, "Where operations
 * live"). The replica doing an operation holds its current value in memory and writes it to {@code <prefix><id>.json}
 * in the bucket when it starts (before the caller gets the id, so no id is handed out that no one can look up), every
 * {@code checkpointEvery} while it runs, and when it ends. Any replica answers {@link #find}: its own operations from
 * memory, the others' from the bucket. A running operation whose checkpoint is older than three intervals was left by
 * a replica that stopped (a lost node), and one written by this very replica in an earlier life (a restarted pod keeps
 * its name) was left by its restart: either is answered as {@link OperationState#interrupted}, with what to do.
 *
 * <p>Writers are serialised per operation and take the value inside the lock, so a periodic checkpoint can never land
 * after the final one (which would make a finished operation look interrupted to the other replicas).
 */
public final class OperationStore<D> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OperationStore.class);
    /** Operation ids become object keys: nothing that could leave the prefix. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    private final ObjectStore store;
    private final String prefix;
    private final Duration checkpointEvery;
    private final String replica;
    /** This process: a checkpoint of this replica's name but another instance was left by its previous life. */
    private static final String INSTANCE = java.util.UUID.randomUUID().toString();
    private final Function<Operation<D>, String> resubmit;
    private final ObjectMapper json = Events.JSON;
    /** Newer services may add fields: an older one reading a checkpoint must not fail on them. */
    private final ObjectReader reader;
    private final Map<String, Live<D>> live = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checkpoints;

    /**
     * @param prefix   where this kind's checkpoints live, ending in {@code /}
     * @param details  the type of the operations' {@code details}
     * @param resubmit what a client should do about an interrupted operation, e.g. "POST /reprocess again"; nothing a
     *                 finished part did is lost by that (the services' operations are idempotent per item)
     */
    public OperationStore(ObjectStore store, String prefix, Class<D> details, Duration checkpointEvery,
                          Function<Operation<D>, String> resubmit) {
        if (!prefix.endsWith("/")) throw new IllegalArgumentException("prefix must end in /: " + prefix);
        this.store = store;
        this.prefix = prefix;
        this.checkpointEvery = checkpointEvery;
        this.replica = replicaName();
        this.resubmit = resubmit;
        JavaType type = json.getTypeFactory().constructParametricType(Operation.class, details);
        this.reader = json.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.checkpoints = DaemonThreads.scheduler("ich-operation-checkpoint");
        long every = checkpointEvery.toMillis();
        checkpoints.scheduleWithFixedDelay(this::checkpointRunning, every, every, TimeUnit.MILLISECONDS);
    }

    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The name of the replica writing this store's checkpoints (the pod name on Kubernetes). */
    public String replica() {
        return replica;
    }

    /**
     * Registers a new operation and writes it to the bucket; a storage failure is thrown to the caller (the request
     * fails with 503 and no id is handed out).
     */
    public Operation<D> start(Operation<D> first) {
        if (!isId(first.id())) throw new IllegalArgumentException("not an operation id: " + first.id());
        Live<D> l = new Live<>(first);
        synchronized (l) {
            write(first);
        }
        live.put(first.id(), l);
        return first;
    }

    /**
     * Changes an operation this replica runs. A change that ends it is written to the bucket at once (a failure to
     * write is logged: this replica still answers, the others would see it as interrupted); other changes reach the
     * bucket with the next checkpoint. Unknown ids and terminal operations are left as they are.
     */
    public Operation<D> update(String id, UnaryOperator<Operation<D>> change) {
        Live<D> l = live.get(id);
        if (l == null) throw new IllegalStateException("operation " + id + " is not running on this replica");
        synchronized (l) {
            if (l.value.terminal()) return l.value;
            Operation<D> next = change.apply(l.value);
            l.value = next;
            if (next.terminal()) {
                try {
                    write(next);
                } catch (RuntimeException e) {
                    LOG.errorf("operation %s %s, but its final value could not be written to %s: %s", id, next.state(),
                            prefix, e.getMessage());
                }
            }
            return next;
        }
    }

    /** This replica's own operation first; else what the replica that ran it last wrote; empty when neither knows it. */
    public Optional<Operation<D>> find(String id) {
        Live<D> l = live.get(id);
        if (l != null) return Optional.of(l.value);
        if (!isId(id)) return Optional.empty();
        String key = prefix + id + ".json";
        Optional<StoredObject> object = store.stat(key);
        if (object.isEmpty()) return Optional.empty();
        return Optional.of(aged(read(key), object.get()));
    }

    /** Every operation in the bucket and on this replica, newest first. */
    public List<Operation<D>> list() {
        Map<String, Operation<D>> all = new java.util.LinkedHashMap<>();
        for (StoredObject o : store.list(prefix)) {
            String rest = o.key().substring(prefix.length());
            if (!rest.endsWith(".json") || rest.contains("/")) continue;
            try {
                Operation<D> op = aged(read(o.key()), o);
                all.put(op.id(), op);
            } catch (RuntimeException e) {
                LOG.warnf("skipping %s: not an operation (%s)", o.key(), e.getMessage());
            }
        }
        live.forEach((id, l) -> all.put(id, l.value));
        List<Operation<D>> out = new ArrayList<>(all.values());
        out.sort(Comparator.comparing(Operation<D>::startedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    @Override
    public void close() {
        checkpoints.shutdownNow();
    }

    private Operation<D> aged(Operation<D> stored, StoredObject object) {
        if (stored.terminal()) return stored;
        String who = object.metadata() == null ? null : object.metadata().get("replica");
        String life = object.metadata() == null ? null : object.metadata().get("instance");
        // Not running here (it would be live) though this replica wrote it: the replica restarted (a pod keeps its name).
        boolean restarted = replica.equals(who) && life != null && !INSTANCE.equals(life);
        boolean stale = stored.updatedAt() == null
                || Duration.between(stored.updatedAt(), Instant.now()).compareTo(checkpointEvery.multipliedBy(3)) > 0;
        if (!stale && !restarted) return stored;
        return stored.interrupted("the replica " + (who == null ? "" : who + " ") + "running this " + stored.kind()
                + " stopped reporting at " + stored.updatedAt() + " (restarted or gone) before it ended; " + resubmit.apply(stored));
    }

    private void checkpointRunning() {
        for (Live<D> l : live.values()) {
            synchronized (l) {
                if (l.value.terminal()) continue;
                try {
                    write(l.value.withUpdatedNow());
                } catch (RuntimeException e) {
                    // the work goes on; other replicas see an older value until the next checkpoint
                    LOG.warnf("operation %s: cannot checkpoint it (%s); retrying in %s", l.value.id(), e.getMessage(), checkpointEvery);
                }
            }
        }
    }

    private void write(Operation<D> op) {
        try {
            store.put(prefix + op.id() + ".json", json.writeValueAsBytes(op), "application/json",
                    Map.of("replica", replica, "instance", INSTANCE));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("operation " + op.id() + " is not serialisable: " + e.getMessage(), e);
        }
    }

    private Operation<D> read(String key) {
        try {
            return reader.readValue(store.get(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    private static final class Live<D> {
        volatile Operation<D> value;

        Live(Operation<D> value) {
            this.value = value;
        }
    }

    /** The pod name on Kubernetes (HOSTNAME), so an interrupted operation says which replica stopped. */
    private static String replicaName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) return host;
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }
}
