package dev.ich.labeling.datasets;

import dev.ich.runtime.DaemonThreads;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.clean.PipelineVersion;
import dev.ich.core.dataset.Balance;
import dev.ich.core.dataset.DatasetInput;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.core.storage.StoredObject;
import dev.ich.labeling.LabelingConfig;
import dev.ich.labeling.labels.LabelStore;
import dev.ich.runtime.operation.Operation;
import dev.ich.runtime.operation.OperationState;
import dev.ich.runtime.operation.OperationStore;
import dev.ich.runtime.operation.OperationStores;
import dev.ich.runtime.operation.Progress;
import dev.ich.runtime.problem.ApiProblem;
import dev.ich.runtime.problem.Problem;
import jakarta.annotation.PostConstruct;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;


/**
 * Freezes immutable dataset versions: selects labelled, kept slices, balances, splits by patient, writes
 * tar shards of about {@code shardSize} samples per split, then {@code manifest.parquet}, then
 * {@code dataset.json} (last: its presence means the version is complete), then announces it on
 * {@code datasets-published}. One build at a time; a failed build deletes what it wrote.
 */
@ApplicationScoped
public class Datasets {
    private static final Logger LOG = Logger.getLogger(Datasets.class);

    @Inject
    DatasetSelection selection;

    @Inject
    DatasetShards shards;

    @Inject
    DatasetManifest manifest;

    @Inject
    DatasetVersions versions;

    @Inject
    LabelStore labels;

    @Inject
    ObjectStore store;

    @Inject
    LabelingConfig config;

    @Inject
    DatasetPublisher publisher;

    @Inject
    OperationStores operations;

    private final ExecutorService builder = DaemonThreads.single("dataset-builder");
    /** Ids this replica gave out, for the version numbering (the bucket's high-water mark has the others). */
    private final Set<String> submitted = ConcurrentHashMap.newKeySet();
    private OperationStore<DatasetBuildDetails> builds;

    @PostConstruct
    void open() {
        builds = operations.open(ObjectKeys.OPERATIONS_DATASET_BUILDS, DatasetBuildDetails.class, op -> "POST /datasets again"
                + " with the same spec: it gets the next version number, and nothing of this one was published");
    }

    void stop(@Observes ShutdownEvent ignored) {
        builder.shutdownNow();
    }

    /** Checks the request, selects and splits synchronously (so a bad request is a 400 now), then builds in the background. */
    public synchronized Operation<DatasetBuildDetails> submit(DatasetRequest request) {
        int latest = labels.require(request.labels());
        DatasetRequest spec = request.resolved(latest, request.pipeline() == null ? selection.onlyPipeline() : null);
        List<SelectedSlice> rows = selection.select(spec);
        if (rows.isEmpty()) {
            throw ApiProblem.badRequest("the filter selects no slice: none is kept with pipeline " + spec.pipeline()
                    + ", labelled in label version " + spec.labels() + " and has img_pct_window >= " + spec.filter().minPctWindow());
        }
        long seed = spec.split().seed();
        if (spec.balance().equals(DatasetRequest.BALANCED)) {
            rows = Balance.allPositivesAndAsManyNegatives(rows, SelectedSlice::positive, seed);
            if (rows.isEmpty()) throw ApiProblem.badRequest("the filter selects no positive slice, so nothing can be balanced");
        }
        Map<String, List<SelectedSlice>> bySplit = PatientSplits.split(rows, spec.split().valid(), seed);
        String version = versions.next(spec.name(), submitted);
        String id = spec.name() + "@" + version;
        submitted.add(id);
        long total = rows.size();
        Operation<DatasetBuildDetails> started = builds.start(Operation.pending(id, DatasetBuildDetails.KIND,
                Progress.of(0, total, DatasetBuildDetails.UNIT), new DatasetBuildDetails(spec.name(), version, null))
                .withMessage("waiting for the builds before it (one at a time)"));
        builder.submit(() -> build(id, spec, version, bySplit, total));
        return started;
    }

    private void build(String id, DatasetRequest spec, String version, Map<String, List<SelectedSlice>> bySplit, long total) {
        List<String> written = new ArrayList<>();
        Path work = null;
        try {
            Files.createDirectories(config.workDirectory());
            work = Files.createTempDirectory(config.workDirectory(), "dataset-");
            builds.update(id, op -> op.progressed(op.progress(), op.details()).withMessage("writing shards"));
            DatasetShards.Written stored = shards.write(spec.name(), version, bySplit, work, written::add, samples -> builds.update(id,
                    op -> op.progressed(Progress.of(samples, total, DatasetBuildDetails.UNIT), op.details())));
            builds.update(id, op -> op.withMessage("writing the manifest and dataset.json"));
            String manifestKey = ObjectKeys.datasetManifest(spec.name(), version);
            Path manifestFile = work.resolve("manifest.parquet");
            manifest.write(manifestFile, bySplit, stored.shardOf());
            store.putFile(manifestKey, manifestFile, "application/vnd.apache.parquet");
            written.add(manifestKey);
            DatasetPublished dataset = new DatasetPublished(id, spec.name(), version, spec.task(),
                    ObjectKeys.datasetJson(spec.name(), version), manifestKey, stored.shards(), DatasetManifest.counts(bySplit),
                    new PipelineVersion(spec.pipeline()).withContext(spec.context()).id(),
                    spec.labels(), spec(spec), Instant.now());
            byte[] json = Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(dataset);
            store.put(dataset.datasetKey(), json, "application/json", Map.of());
            written.add(dataset.datasetKey());
            publisher.publish(dataset);
            builds.update(id, op -> op.withMessage(null).succeeded(Progress.of(total, total, DatasetBuildDetails.UNIT),
                    new DatasetBuildDetails(spec.name(), version, dataset)));
            LOG.infof("dataset %s published: %d slices in %d shards", id, total, stored.shards().values().stream().mapToInt(List::size).sum());
        } catch (Exception e) {
            Problem reason = e instanceof StorageException
                    ? Problem.of(503, "StorageFailed", "object storage failed: " + e.getMessage() + "; nothing of " + id
                    + " was published, POST /datasets again when the bucket answers")
                    : Problem.of(500, "BuildFailed", "the build of " + id + " failed: " + e + "; nothing of it was published");
            LOG.errorf(e, "dataset %s failed", id);
            for (String key : written) {
                try {
                    store.delete(key);
                } catch (StorageException cleanup) {
                    LOG.warnf("could not delete %s of failed dataset %s: %s", key, id, cleanup.getMessage());
                }
            }
            builds.update(id, op -> op.withMessage(null).failed(reason, op.progress(), op.details()));
        } finally {
            if (work != null) deleteQuietly(work);
        }
    }

    /** The resolved request, and the cleaning pipeline under its own key: with context the dataset's pipeline is another id. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(DatasetRequest spec) {
        Map<String, Object> map = new LinkedHashMap<>(Events.JSON.convertValue(spec, Map.class));
        map.put(DatasetInput.CLEANING_PIPELINE, spec.pipeline());
        return map;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files only
        }
    }

    /**
     * The build's operation, from any replica (a build is checkpointed before its 202, so one whose replica stopped
     * reads as interrupted); for a version published before builds were operations, one made from its dataset.json.
     */
    public Optional<Operation<DatasetBuildDetails>> find(String id) {
        Optional<Operation<DatasetBuildDetails>> op = builds.find(id);
        if (op.isPresent()) return op;
        int at = id.indexOf('@');
        if (at <= 0) return Optional.empty();
        String name = id.substring(0, at);
        String version = id.substring(at + 1);
        String key;
        try {
            key = ObjectKeys.datasetJson(name, version);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (store.stat(key).isEmpty()) return Optional.empty();
        try {
            DatasetPublished d = Events.JSON.readValue(store.get(key), DatasetPublished.class);
            long total = d.counts().values().stream().mapToLong(m -> m.getOrDefault("slices", 0L)).sum();
            Progress all = Progress.of(total, total, DatasetBuildDetails.UNIT);
            return Optional.of(new Operation<>(id, DatasetBuildDetails.KIND, OperationState.succeeded, null, all, d.createdAt(),
                    d.createdAt(), d.createdAt(), null, new DatasetBuildDetails(name, version, d)));
        } catch (IOException e) {
            throw new ApiProblem(500, "DatasetUnreadable", "dataset.json of " + id + " is not readable: " + e.getMessage());
        }
    }

    /** Every published dataset id in storage, plus every build (running, failed or interrupted). */
    public List<String> ids() {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (StoredObject o : store.list(ObjectKeys.DATASETS_PREFIX)) {
            String[] parts = o.key().split("/");
            if (parts.length == 4 && parts[3].equals("dataset.json")) ids.add(parts[1] + "@" + parts[2]);
        }
        for (Operation<DatasetBuildDetails> b : builds.list()) ids.add(b.id());
        return new ArrayList<>(ids);
    }
}
