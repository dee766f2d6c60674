package dev.ich.ingest.dicomweb;

import dev.ich.runtime.DaemonThreads;
import dev.ich.ingest.IngestConfig;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Uids;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;
import dev.ich.runtime.problem.ApiProblem;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The DICOMweb index of this replica (docs/dicom.md, "The index"): an {@link InstanceIndex} in memory, fed three ways.
 * <ul>
 *   <li>{@link #stored}: the {@link dev.ich.ingest.Ingestor} hands over every instance it stores; its record is written to
 *   {@code ingest/index/<time>/<sop>.json} before the sender hears "stored", so it survives this replica.</li>
 *   <li>At start: every record is read back, then {@code raw/} is listed and any object without a record (stored
 *   before the index existed, or by a replica that died between the two writes) is read and given one: a backfill
 *   that costs a listing once every object has its record.</li>
 *   <li>Every {@code index-poll-interval}: the records written in the last {@code index-poll-overlap} are listed
 *   (their keys sort by time) and the unknown ones read, so instances other replicas store appear within seconds.</li>
 * </ul>
 * The bucket stays the truth: the index can always be rebuilt from it.
 */
@ApplicationScoped
public class DicomWebIndex {
    private static final Logger LOG = Logger.getLogger(DicomWebIndex.class);

    @Inject
    ObjectStore store;
    @Inject
    IngestConfig config;
    @Inject
    MeterRegistry registry;

    private final InstanceIndex index = new InstanceIndex();
    /** Records whose write failed; retried on each poll (the instance is in this replica's index meanwhile). */
    private final Map<String, IndexRecord> unwritten = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sync = DaemonThreads.scheduler("ich-ingest-dicomweb-index");
    private volatile boolean loaded;

    void onStart(@Observes StartupEvent event) {
        registry.gauge("ich.ingest.dicomweb.indexed.instances", index, InstanceIndex::size);
        sync.execute(this::load);
    }

    void onStop(@Observes ShutdownEvent event) {
        sync.shutdownNow();
    }

    /** The instance just stored at {@code objectKey}: indexed here and its record written beside it. */
    public void stored(String objectKey, byte[] bytes) {
        IndexRecord r;
        try {
            r = IndexRecord.of(objectKey, bytes, Instant.now());
        } catch (DicomReadException e) {
            LOG.warnf("stored %s cannot be indexed (%s); it stays retrievable from the bucket only", objectKey, e.getMessage());
            return;
        }
        index.add(r);
        write(r);
    }

    /** The index, once built; until then a 503 that says why. */
    InstanceIndex ready() {
        if (!loaded) {
            throw ApiProblem.unavailable("IndexLoading", "the DICOMweb index of this replica is still being built from"
                    + " the bucket (" + index.size() + " instances so far); try again in a few seconds");
        }
        return index;
    }

    private void write(IndexRecord r) {
        try {
            store.put(r.key(), r.json(), "application/json", Map.of());
            unwritten.remove(r.sopInstanceUid());
        } catch (RuntimeException e) {
            LOG.warnf("index record of %s not written (%s); other replicas will not see it until it is", r.sopInstanceUid(),
                    e.getMessage());
            unwritten.put(r.sopInstanceUid(), r);
        }
    }

    private void load() {
        try {
            Instant started = Instant.now();
            int read = readRecords();
            int backfilled = backfill();
            loaded = true;
            LOG.infof("DICOMweb index built: %d instances (%d records read, %d objects backfilled) in %d ms", index.size(),
                    read, backfilled, java.time.Duration.between(started, Instant.now()).toMillis());
            long every = config.dicomweb().indexPollInterval().toMillis();
            sync.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.warnf("cannot build the DICOMweb index yet (%s); retrying in 5 s", e.getMessage());
            sync.schedule(this::load, 5, TimeUnit.SECONDS);
        }
    }

    /** Every record in the bucket into the index. */
    private int readRecords() {
        List<String> keys = new ArrayList<>();
        for (StoredObject o : store.list(ObjectKeys.INGEST_INDEX_PREFIX)) {
            String sop = IndexRecord.sopOfKey(o.key());
            if (sop != null && !index.contains(sop)) keys.add(o.key());
        }
        return inParallel(keys, this::readRecord);
    }

    /**
     * Objects under raw/ that no record names get one. Package-private: a test triggers it for objects it put in
     * the bucket the way instances stored before this index existed are there.
     */
    int backfill() {
        Set<String> recorded = new HashSet<>();
        for (StoredObject o : store.list(ObjectKeys.INGEST_INDEX_PREFIX)) recorded.add(IndexRecord.sopOfKey(o.key()));
        List<String> missing = new ArrayList<>();
        for (StoredObject o : store.list(ObjectKeys.RAW_PREFIX)) {
            String sop = IndexRecord.sopOfRawKey(o.key());
            if (sop != null && Uids.isValid(sop) && !recorded.contains(sop) && !index.contains(sop)) missing.add(o.key());
        }
        return inParallel(missing, key -> {
            try {
                IndexRecord r = IndexRecord.of(key, store.get(key), Instant.now());
                if (index.add(r)) write(r);
                return true;
            } catch (DicomReadException e) {
                LOG.warnf("%s is not indexable (%s); left out of DICOMweb", key, e.getMessage());
                return false;
            }
        });
    }

    private void poll() {
        try {
            String from = ObjectKeys.ingestIndexFrom(Instant.now().minus(config.dicomweb().indexPollOverlap()));
            for (StoredObject o : store.list(ObjectKeys.INGEST_INDEX_PREFIX, from)) {
                String sop = IndexRecord.sopOfKey(o.key());
                if (sop != null && !index.contains(sop)) readRecord(o.key());
            }
            for (IndexRecord r : List.copyOf(unwritten.values())) write(r);
        } catch (RuntimeException e) {
            LOG.debugf("DICOMweb index poll failed (%s); next one in %s", e.getMessage(), config.dicomweb().indexPollInterval());
        }
    }

    private boolean readRecord(String key) {
        try {
            return index.add(IndexRecord.parse(store.get(key)));
        } catch (java.io.IOException e) {
            LOG.warnf("index record %s does not parse (%s); skipped", key, e.getMessage());
            return false;
        }
    }

    private interface Task {
        boolean run(String key);
    }

    private int inParallel(List<String> keys, Task task) {
        if (keys.isEmpty()) return 0;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, config.dicomweb().indexLoadParallelism()));
        try {
            AtomicInteger done = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (String key : keys) futures.add(pool.submit(() -> {
                if (task.run(key)) done.incrementAndGet();
            }));
            for (Future<?> f : futures) f.get();
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the DICOMweb index", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
