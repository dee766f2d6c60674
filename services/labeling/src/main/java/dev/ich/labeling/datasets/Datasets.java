package dev.ich.labeling.datasets;

import dev.ich.runtime.DaemonThreads;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dataset.Balance;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.core.storage.StoredObject;
import dev.ich.labeling.LabelingConfig;
import dev.ich.labeling.labels.LabelStore;
import dev.ich.runtime.problem.ApiProblem;
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

    private final ExecutorService builder = DaemonThreads.single("dataset-builder");
    private final Map<String, DatasetBuild> builds = new ConcurrentHashMap<>();

    void stop(@Observes ShutdownEvent ignored) {
        builder.shutdownNow();
    }

    /** Checks the request, selects and splits synchronously (so a bad request is a 400 now), then builds in the background. */
    public synchronized DatasetBuild submit(DatasetRequest request) {
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
        String version = versions.next(spec.name(), builds.keySet());
        String id = spec.name() + "@" + version;
        DatasetBuild started = new DatasetBuild(id, DatasetBuild.BUILDING, 0, rows.size(), Instant.now(), null, null);
        builds.put(id, started);
        builder.submit(() -> build(id, spec, version, bySplit, started));
        return started;
    }

    private void build(String id, DatasetRequest spec, String version, Map<String, List<SelectedSlice>> bySplit, DatasetBuild started) {
        List<String> written = new ArrayList<>();
        Path work = null;
        try {
            Files.createDirectories(config.workDirectory());
            work = Files.createTempDirectory(config.workDirectory(), "dataset-");
            DatasetShards.Written stored = shards.write(spec.name(), version, bySplit, work, written::add, samples -> builds.put(id,
                    new DatasetBuild(id, DatasetBuild.BUILDING, samples, started.total(), started.startedAt(), null, null)));
            long done = started.total();
            String manifestKey = ObjectKeys.datasetManifest(spec.name(), version);
            Path manifestFile = work.resolve("manifest.parquet");
            manifest.write(manifestFile, bySplit, stored.shardOf());
            store.putFile(manifestKey, manifestFile, "application/vnd.apache.parquet");
            written.add(manifestKey);
            DatasetPublished dataset = new DatasetPublished(id, spec.name(), version, spec.task(),
                    ObjectKeys.datasetJson(spec.name(), version), manifestKey, stored.shards(), DatasetManifest.counts(bySplit), spec.pipeline(),
                    spec.labels(), spec(spec), Instant.now());
            byte[] json = Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(dataset);
            store.put(dataset.datasetKey(), json, "application/json", Map.of());
            written.add(dataset.datasetKey());
            publisher.publish(dataset);
            builds.put(id, new DatasetBuild(id, DatasetBuild.PUBLISHED, done, started.total(), started.startedAt(), null, dataset));
            LOG.infof("dataset %s published: %d slices in %d shards", id, done, stored.shards().values().stream().mapToInt(List::size).sum());
        } catch (Exception e) {
            String reason = e instanceof StorageException ? "object storage failed: " + e.getMessage() : e.toString();
            LOG.errorf(e, "dataset %s failed", id);
            for (String key : written) {
                try {
                    store.delete(key);
                } catch (StorageException cleanup) {
                    LOG.warnf("could not delete %s of failed dataset %s: %s", key, id, cleanup.getMessage());
                }
            }
            builds.put(id, new DatasetBuild(id, DatasetBuild.FAILED, 0, started.total(), started.startedAt(), reason, null));
        } finally {
            if (work != null) deleteQuietly(work);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(DatasetRequest spec) {
        return Events.JSON.convertValue(spec, Map.class);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files only
        }
    }

    /** The build in progress (or done here), else the stored dataset.json; empty when neither exists. */
    public Optional<DatasetBuild> find(String id) {
        DatasetBuild b = builds.get(id);
        if (b != null) return Optional.of(b);
        int at = id.indexOf('@');
        if (at <= 0) return Optional.empty();
        String key;
        try {
            key = ObjectKeys.datasetJson(id.substring(0, at), id.substring(at + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (store.stat(key).isEmpty()) return interrupted(id, id.substring(0, at), id.substring(at + 1));
        try {
            DatasetPublished d = Events.JSON.readValue(store.get(key), DatasetPublished.class);
            long total = d.counts().values().stream().mapToLong(m -> m.getOrDefault("slices", 0L)).sum();
            return Optional.of(new DatasetBuild(id, DatasetBuild.PUBLISHED, total, total, d.createdAt(), null, d));
        } catch (IOException e) {
            throw new ApiProblem(500, "DatasetUnreadable", "dataset.json of " + id + " is not readable: " + e.getMessage());
        }
    }

    /**
     * A version that was numbered (the name's high-water mark is at or above it: its build was accepted with a 202) but
     * was never published and is not building here: the service stopped during its build (a kill, a node lost). It
     * answers as failed, with what to do, rather than as unknown to a client that holds its id.
     */
    private Optional<DatasetBuild> interrupted(String id, String name, String version) {
        int number;
        try {
            number = Integer.parseInt(version.startsWith("v") ? version.substring(1) : version);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!versions.given(name, number)) return Optional.empty();
        return Optional.of(new DatasetBuild(id, DatasetBuild.FAILED, 0, 0, null, "the build of " + id + " did not finish: the"
                + " labeling service stopped while building it, and nothing of it was published; submit the dataset again (it"
                + " gets the next version number)", null));
    }

    /** Every published dataset id in storage, plus builds in progress. */
    public List<String> ids() {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (StoredObject o : store.list(ObjectKeys.DATASETS_PREFIX)) {
            String[] parts = o.key().split("/");
            if (parts.length == 4 && parts[3].equals("dataset.json")) ids.add(parts[1] + "@" + parts[2]);
        }
        ids.addAll(builds.keySet());
        return new ArrayList<>(ids);
    }
}
