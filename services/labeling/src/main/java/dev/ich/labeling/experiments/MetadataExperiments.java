package dev.ich.labeling.experiments;

import dev.ich.runtime.DaemonThreads;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.storage.ObjectStore;
import dev.ich.labeling.LabelingConfig;
import dev.ich.labeling.datasets.DatasetBuild;
import dev.ich.labeling.datasets.Datasets;
import dev.ich.labeling.table.SliceTable;
import dev.ich.labeling.table.SqlType;
import dev.ich.runtime.problem.ApiProblem;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.ich.labeling.table.Database.quote;

/**
 * The metadata-only experiment done right (docs/reference-experiment.md, "Metadata-only model"): the dataset's own manifest
 * decides the rows and their split by patient, header columns are joined to labels by slice id, and the
 * forest's accuracy and AUC are reported beside the majority-class baseline.
 */
@ApplicationScoped
public class MetadataExperiments {
    private static final Logger LOG = Logger.getLogger(MetadataExperiments.class);
    /** Columns cleaning computes from pixels or decides itself: not header metadata. */
    private static final List<String> NOT_HEADER_PREFIXES = List.of("img_", "crop_", "pixel_fixed", "kept", "label_");

    @Inject
    Datasets datasets;

    @Inject
    SliceTable table;

    @Inject
    ObjectStore store;

    @Inject
    LabelingConfig config;

    private final Map<String, Experiment> experiments = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final ExecutorService runner = DaemonThreads.single("metadata-experiment");

    void stop(@Observes ShutdownEvent ignored) {
        runner.shutdownNow();
    }

    public Experiment submit(ExperimentRequest request) {
        if (request == null || request.dataset() == null) {
            throw ApiProblem.badRequest("dataset is required, e.g. {\"dataset\": \"any-balanced@v1\"} (POST /datasets makes one)");
        }
        DatasetBuild build = datasets.find(request.dataset()).orElseThrow(() -> ApiProblem.notFound("no dataset "
                + request.dataset() + " (GET /datasets lists them)"));
        if (!DatasetBuild.PUBLISHED.equals(build.state())) {
            throw ApiProblem.conflict("dataset " + request.dataset() + " is " + build.state() + ", not published yet");
        }
        int trees = request.trees() == null ? config.baselineTrees() : request.trees();
        if (trees < 1 || trees > 2000) throw ApiProblem.badRequest("trees must be 1..2000, not " + trees);
        int maxTrain = request.maxTrainSlices() == null ? Integer.MAX_VALUE : request.maxTrainSlices();
        if (maxTrain < ExperimentRequest.MIN_TRAIN_SLICES) {
            throw ApiProblem.badRequest("maxTrainSlices must be at least " + ExperimentRequest.MIN_TRAIN_SLICES + ", not "
                    + maxTrain + " (leave it out to fit on every train slice)");
        }
        DatasetPublished d = build.dataset();
        long seed = request.seed() != null ? request.seed() : seedOf(d);
        List<String> columns = headerColumns();
        Samples samples = samples(d, columns, maxTrain, seed);
        String id = "metadata-baseline-" + sequence.incrementAndGet();
        Experiment running = new Experiment(id, d.id(), Experiment.RUNNING, Instant.now(), null, columns, samples.trainSlices,
                samples.trainUsed, samples.validSlices, null, null);
        experiments.put(id, running);
        runner.submit(() -> run(running, samples.all, trees, seed));
        return running;
    }

    private static long seedOf(DatasetPublished d) {
        Object split = d.spec() == null ? null : d.spec().get("split");
        if (split instanceof Map<?, ?> m && m.get("seed") instanceof Number n) return n.longValue();
        return 42L;
    }

    private void run(Experiment e, List<MetadataSample> samples, int trees, long seed) {
        if (System.getenv("OMP_WAIT_POLICY") == null) {
            LOG.warnf("OMP_WAIT_POLICY is not set: XGBoost's idle OpenMP threads spin, which on shared cores made the"
                    + " forest's fit about 10x slower; the image and ./ich up set OMP_WAIT_POLICY=PASSIVE (docs/labeling.md)");
        }
        long t0 = System.nanoTime();
        try {
            BaselineReport report = MetadataBaseline.builder().setSeed(seed).optTrees(trees).build().run(samples);
            experiments.put(e.id(), with(e, Experiment.DONE, t0, report, null));
            LOG.infof("%s on %s: %s", e.id(), e.dataset(), report.verdict());
        } catch (IllegalArgumentException ex) {
            experiments.put(e.id(), with(e, Experiment.FAILED, t0, null, ex.getMessage()));
        } catch (RuntimeException ex) {
            LOG.errorf(ex, "%s failed", e.id());
            experiments.put(e.id(), with(e, Experiment.FAILED, t0, null, ex.toString()));
        }
    }

    private static Experiment with(Experiment e, String state, long t0, BaselineReport report, String error) {
        return new Experiment(e.id(), e.dataset(), state, e.startedAt(), (System.nanoTime() - t0) / 1e9, e.columns(),
                e.trainSlices(), e.trainUsed(), e.validSlices(), report, error);
    }

    public Experiment get(String id) {
        Experiment e = experiments.get(id);
        if (e == null) throw ApiProblem.notFound("no experiment " + id + " (they live as long as the service process)");
        return e;
    }

    public List<Experiment> all() {
        return new ArrayList<>(experiments.values());
    }

    /** Numeric header columns of the table: DICOM values, not what cleaning derived from pixels. */
    List<String> headerColumns() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, SqlType> c : table.columns().entrySet()) {
            if (!c.getValue().numeric()) continue;
            String name = c.getKey();
            if (NOT_HEADER_PREFIXES.stream().anyMatch(name::startsWith)) continue;
            out.add(name);
        }
        return out;
    }

    private record Samples(List<MetadataSample> all, int trainSlices, int trainUsed, int validSlices) {
    }

    /** The manifest's slices joined by UID to their header columns; train sampled down to {@code maxTrain} if above it. */
    private Samples samples(DatasetPublished d, List<String> columns, int maxTrain, long seed) {
        Path manifest;
        try {
            manifest = Files.createTempFile("ich-manifest", ".parquet");
            Files.write(manifest, store.get(d.manifestKey()));
        } catch (java.io.IOException ex) {
            throw new ApiProblem(500, "StagingFailed", "cannot stage the manifest of " + d.id() + ": " + ex.getMessage());
        }
        try {
            StringBuilder sql = new StringBuilder("SELECT m.uid AS m_uid, m.split AS m_split, m.\"any\" AS m_any");
            for (int i = 0; i < columns.size(); i++) sql.append(", s.").append(quote(columns.get(i))).append(" AS f").append(i);
            sql.append(" FROM read_parquet('").append(manifest.toAbsolutePath().toString().replace("'", "''"))
                    .append("') m LEFT JOIN ").append(SliceTable.TABLE).append(" s ON s.uid = m.uid ORDER BY m.uid");
            List<MetadataSample> train = new ArrayList<>(), valid = new ArrayList<>();
            for (Map<String, Object> r : table.query(sql.toString(), List.of())) {
                Map<String, Double> features = new HashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    Object v = r.get("f" + i);
                    if (v != null) features.put(columns.get(i), ((Number) v).doubleValue());
                }
                MetadataSample s = new MetadataSample((String) r.get("m_uid"), (String) r.get("m_split"), features,
                        ((Number) r.get("m_any")).intValue() == 1);
                (MetadataSample.TRAIN.equals(s.split()) ? train : valid).add(s);
            }
            int trainSlices = train.size();
            if (train.size() > maxTrain) {
                Collections.shuffle(train, new Random(seed));
                train = new ArrayList<>(train.subList(0, maxTrain));
            }
            List<MetadataSample> all = new ArrayList<>(train);
            all.addAll(valid);
            return new Samples(all, trainSlices, train.size(), valid.size());
        } finally {
            try {
                Files.deleteIfExists(manifest);
            } catch (java.io.IOException ignored) {
                // a temp file
            }
        }
    }
}
