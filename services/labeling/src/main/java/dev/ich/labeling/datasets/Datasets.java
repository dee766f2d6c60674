package dev.ich.labeling.datasets;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dataset.Balance;
import dev.ich.core.dataset.DatasetSample;
import dev.ich.core.dataset.PatientSplit;
import dev.ich.core.dataset.ShardWriter;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.label.Label;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.core.storage.StoredObject;
import dev.ich.core.storage.VersionCounter;
import dev.ich.labeling.LabelingConfig;
import dev.ich.labeling.labels.LabelStore;
import dev.ich.labeling.table.Database;
import dev.ich.labeling.table.SliceTable;
import dev.ich.runtime.problem.ApiProblem;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.jboss.logging.Logger;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.ich.labeling.table.Database.quote;

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
    SliceTable table;

    @Inject
    Database db;

    @Inject
    LabelStore labels;

    @Inject
    ObjectStore store;

    @Inject
    LabelingConfig config;

    @Inject
    DatasetPublisher publisher;

    private final ExecutorService builder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dataset-builder");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, DatasetBuild> builds = new ConcurrentHashMap<>();

    void stop(@Observes ShutdownEvent ignored) {
        builder.shutdownNow();
    }

    /** One selected slice. */
    record Row(String uid, String patient, String imageKey, Map<Label, Integer> labels) {
        boolean positive() {
            return labels.get(Label.ANY) == 1;
        }
    }

    /**
     * Patient to train or valid. Each patient enters the split under its first slice's SOP Instance UID, not under its
     * pseudonym: the pseudonyms are keyed hashes (ingest's de-identification), so their order changes with the key,
     * and a split that followed it would move patients between train and valid whenever the key changes (every new local
     * stack makes one; a site may rotate it). SOP Instance UIDs survive de-identification unchanged, so the same slices
     * and seed give the same split under any key.
     */
    static Map<String, String> splitByPatient(List<Row> rows, double validFraction, long seed) {
        Map<String, String> firstSlice = new java.util.HashMap<>();
        for (Row r : rows) firstSlice.merge(r.patient(), r.uid(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        Map<String, Boolean> positiveBySlice = new java.util.HashMap<>();
        for (Row r : rows) positiveBySlice.merge(firstSlice.get(r.patient()), r.positive(), Boolean::logicalOr);
        Map<String, String> splitBySlice = PatientSplit.assignStratified(positiveBySlice, validFraction, seed);
        Map<String, String> split = new java.util.HashMap<>();
        firstSlice.forEach((patient, slice) -> split.put(patient, splitBySlice.get(slice)));
        return split;
    }

    /** Checks the request, selects and splits synchronously (so a bad request is a 400 now), then builds in the background. */
    public synchronized DatasetBuild submit(DatasetRequest request) {
        int latest = labels.require(request.labels());
        DatasetRequest spec = request.resolved(latest, request.pipeline() == null ? onlyPipeline() : null);
        List<Row> rows = select(spec);
        if (rows.isEmpty()) {
            throw ApiProblem.badRequest("the filter selects no slice: none is kept with pipeline " + spec.pipeline()
                    + ", labelled in label version " + spec.labels() + " and has img_pct_window >= " + spec.filter().minPctWindow());
        }
        long seed = spec.split().seed();
        if (spec.balance().equals(DatasetRequest.BALANCED)) {
            rows = Balance.allPositivesAndAsManyNegatives(rows, Row::positive, seed);
            if (rows.isEmpty()) throw ApiProblem.badRequest("the filter selects no positive slice, so nothing can be balanced");
        }
        Map<String, String> splitOf = splitByPatient(rows, spec.split().valid(), seed);
        Map<String, List<Row>> bySplit = new LinkedHashMap<>();
        bySplit.put(PatientSplit.TRAIN, new ArrayList<>());
        bySplit.put(PatientSplit.VALID, new ArrayList<>());
        for (Row r : rows) bySplit.get(splitOf.get(r.patient())).add(r);
        // Shuffled once with the seed: a trainer reading shards in order sees patients and classes mixed.
        Random shuffle = new Random(seed);
        bySplit.values().forEach(l -> Collections.shuffle(l, shuffle));
        if (bySplit.get(PatientSplit.VALID).isEmpty() || bySplit.get(PatientSplit.TRAIN).isEmpty()) {
            throw ApiProblem.badRequest("the selected slices come from " + splitOf.size() + " patient(s): too few for a train "
                    + "and a valid split by patient");
        }
        String version = nextVersion(spec.name());
        String id = spec.name() + "@" + version;
        DatasetBuild started = new DatasetBuild(id, DatasetBuild.BUILDING, 0, rows.size(), Instant.now(), null, null);
        builds.put(id, started);
        builder.submit(() -> build(id, spec, version, bySplit, started));
        return started;
    }

    private String onlyPipeline() {
        List<String> pipelines = table.query("SELECT DISTINCT pipeline FROM " + SliceTable.TABLE + " WHERE kept ORDER BY 1", List.of())
                .stream().map(r -> (String) r.get("pipeline")).toList();
        if (pipelines.isEmpty()) throw ApiProblem.badRequest("no slice has been kept by cleaning yet, so there is nothing to train on");
        if (pipelines.size() > 1) {
            throw ApiProblem.badRequest("kept slices come from several image pipelines " + pipelines + ": choose one with \"pipeline\"");
        }
        return pipelines.get(0);
    }

    private List<Row> select(DatasetRequest spec) {
        StringBuilder sql = new StringBuilder("SELECT s.uid, coalesce(s.PatientID, s.StudyInstanceUID) AS patient, s.cleaned_key");
        for (Label l : Label.values()) sql.append(", l.").append(quote(l.csvName())).append(" AS ").append(quote("l_" + l.csvName()));
        sql.append(" FROM ").append(SliceTable.TABLE).append(" s JOIN labels l ON l.slice_id = s.").append(SliceTable.SLICE_ID)
                .append(" AND l.version = ? WHERE s.kept AND s.cleaned_key IS NOT NULL AND s.pipeline = ? AND s.img_pct_window >= ?");
        if (spec.filter().excludeErrors()) sql.append(" AND s.error_problem IS NULL");
        sql.append(" ORDER BY s.uid");
        List<Row> rows = new ArrayList<>();
        for (Map<String, Object> r : table.query(sql.toString(), List.of(spec.labels(), spec.pipeline(), spec.filter().minPctWindow()))) {
            Map<Label, Integer> values = new EnumMap<>(Label.class);
            for (Label l : Label.values()) values.put(l, ((Number) r.get("l_" + l.csvName())).intValue());
            rows.add(new Row((String) r.get("uid"), (String) r.get("patient"), (String) r.get("cleaned_key"), values));
        }
        return rows;
    }

    private String nextVersion(String name) {
        int max = 0;
        for (StoredObject o : store.list(ObjectKeys.DATASETS_PREFIX + name + "/")) {
            String rest = o.key().substring((ObjectKeys.DATASETS_PREFIX + name + "/").length());
            if (rest.startsWith("v") && rest.indexOf('/') > 1) {
                try {
                    max = Math.max(max, Integer.parseInt(rest.substring(1, rest.indexOf('/'))));
                } catch (NumberFormatException ignored) {
                    // not a version folder
                }
            }
        }
        for (String id : builds.keySet()) {
            if (id.startsWith(name + "@v")) max = Math.max(max, Integer.parseInt(id.substring(name.length() + 2)));
        }
        // Above every number the name ever had, not only those still in the bucket: a failed build deletes what it
        // wrote, and an operator may remove a version, while models and reports still name it.
        return "v" + VersionCounter.in(store, ObjectKeys.datasetHighWater(name)).claim(max);
    }

    private void build(String id, DatasetRequest spec, String version, Map<String, List<Row>> bySplit, DatasetBuild started) {
        List<String> written = new ArrayList<>();
        Path work = null;
        try {
            Files.createDirectories(config.workDirectory());
            work = Files.createTempDirectory(config.workDirectory(), "dataset-");
            long done = 0;
            Map<String, List<String>> shards = new LinkedHashMap<>();
            Map<String, String> shardOf = new LinkedHashMap<>();
            for (Map.Entry<String, List<Row>> split : bySplit.entrySet()) {
                List<String> keys = new ArrayList<>();
                List<Row> rows = split.getValue();
                for (int from = 0, index = 0; from < rows.size(); from += config.shardSize(), index++) {
                    String key = ObjectKeys.datasetShard(spec.name(), version, split.getKey(), index);
                    Path file = work.resolve(split.getKey() + "-" + index + ".tar");
                    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file)); ShardWriter w = new ShardWriter(out)) {
                        for (Row r : rows.subList(from, Math.min(rows.size(), from + config.shardSize()))) {
                            w.add(new DatasetSample(r.uid(), r.patient(), r.labels(), store.get(r.imageKey())));
                            shardOf.put(r.uid(), key);
                            done++;
                        }
                    }
                    store.putFile(key, file, "application/x-tar");
                    written.add(key);
                    Files.delete(file);
                    keys.add(key);
                    builds.put(id, new DatasetBuild(id, DatasetBuild.BUILDING, done, started.total(), started.startedAt(), null, null));
                }
                shards.put(split.getKey(), keys);
            }
            String manifestKey = ObjectKeys.datasetManifest(spec.name(), version);
            Path manifest = work.resolve("manifest.parquet");
            writeManifest(manifest, bySplit, shardOf);
            store.putFile(manifestKey, manifest, "application/vnd.apache.parquet");
            written.add(manifestKey);
            DatasetPublished dataset = new DatasetPublished(id, spec.name(), version, spec.task(),
                    ObjectKeys.datasetJson(spec.name(), version), manifestKey, shards, counts(bySplit), spec.pipeline(),
                    spec.labels(), spec(spec), Instant.now());
            byte[] json = Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(dataset);
            store.put(dataset.datasetKey(), json, "application/json", Map.of());
            written.add(dataset.datasetKey());
            publisher.publish(dataset);
            builds.put(id, new DatasetBuild(id, DatasetBuild.PUBLISHED, done, started.total(), started.startedAt(), null, dataset));
            LOG.infof("dataset %s published: %d slices in %d shards", id, done, shards.values().stream().mapToInt(List::size).sum());
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

    private void writeManifest(Path file, Map<String, List<Row>> bySplit, Map<String, String> shardOf) {
        String temp = "manifest_" + Long.toHexString(System.nanoTime());
        db.with(c -> {
            try (Statement s = c.createStatement()) {
                StringBuilder ddl = new StringBuilder("CREATE TABLE " + temp + " (uid VARCHAR, patient VARCHAR, split VARCHAR");
                for (Label l : Label.values()) ddl.append(", ").append(quote(l.csvName())).append(" TINYINT");
                s.execute(ddl.append(", image_key VARCHAR, shard_key VARCHAR)").toString());
                try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, temp)) {
                    for (Map.Entry<String, List<Row>> split : bySplit.entrySet()) {
                        for (Row r : split.getValue()) {
                            a.beginRow();
                            a.append(r.uid());
                            a.append(r.patient());
                            a.append(split.getKey());
                            for (Label l : Label.values()) a.append((byte) (int) r.labels().get(l));
                            a.append(r.imageKey());
                            a.append(shardOf.get(r.uid()));
                            a.endRow();
                        }
                    }
                }
                s.execute("COPY " + temp + " TO '" + file.toAbsolutePath().toString().replace("'", "''") + "' (FORMAT PARQUET)");
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + temp);
                }
            }
            return null;
        });
    }

    private static Map<String, Map<String, Long>> counts(Map<String, List<Row>> bySplit) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Row>> split : bySplit.entrySet()) {
            Map<String, Long> c = new LinkedHashMap<>();
            c.put("slices", (long) split.getValue().size());
            c.put("patients", split.getValue().stream().map(Row::patient).distinct().count());
            for (Label l : Label.values()) c.put(l.csvName(), split.getValue().stream().filter(r -> r.labels().get(l) == 1).count());
            out.put(split.getKey(), c);
        }
        return out;
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
        if (number < 1 || VersionCounter.in(store, ObjectKeys.datasetHighWater(name)).highWater() < number) return Optional.empty();
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
