package dev.ich.labeling.experiments;

import dev.ich.runtime.DaemonThreads;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.storage.ObjectStore;
import dev.ich.labeling.LabelingConfig;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.labeling.datasets.DatasetBuildDetails;
import dev.ich.labeling.datasets.Datasets;
import dev.ich.labeling.table.SliceTable;
import dev.ich.labeling.table.SqlType;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

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

    @Inject
    OperationStores operations;

    private final ExecutorService runner = DaemonThreads.single("metadata-experiment");
    private OperationStore<ExperimentDetails> experiments;

    @PostConstruct
    void open() {
        experiments = operations.open(ObjectKeys.OPERATIONS_EXPERIMENTS, ExperimentDetails.class, op -> "POST"
                + " /experiments/metadata-baseline again with dataset " + (op.details() == null ? "…" : op.details().dataset()));
    }

    void stop(@Observes ShutdownEvent ignored) {
        runner.shutdownNow();
    }

    public Operation<ExperimentDetails> submit(ExperimentRequest request) {
        if (request == null || request.dataset() == null) {
            throw ApiProblem.badRequest("dataset is required, e.g. {\"dataset\": \"any-balanced@v1\"} (POST /datasets makes one)");
        }
        Operation<DatasetBuildDetails> build = datasets.find(request.dataset()).orElseThrow(() -> ApiProblem.notFound("no dataset "
                + request.dataset() + " (GET /datasets lists them)"));
        if (build.state() != OperationState.succeeded) {
            throw ApiProblem.conflict("dataset " + request.dataset() + " is " + build.state() + ", not published"
                    + (build.terminal() ? "; build it again with POST /datasets" : " yet"));
        }
        int trees = request.trees() == null ? config.baselineTrees() : request.trees();
        if (trees < 1 || trees > 2000) throw ApiProblem.badRequest("trees must be 1..2000, not " + trees);
        int maxTrain = request.maxTrainSlices() == null ? Integer.MAX_VALUE : request.maxTrainSlices();
        if (maxTrain < ExperimentRequest.MIN_TRAIN_SLICES) {
            throw ApiProblem.badRequest("maxTrainSlices must be at least " + ExperimentRequest.MIN_TRAIN_SLICES + ", not "
                    + maxTrain + " (leave it out to fit on every train slice)");
        }
        DatasetPublished d = build.details().dataset();
        long seed = request.seed() != null ? request.seed() : seedOf(d);
        List<String> columns = headerColumns();
        Samples samples = samples(d, columns, maxTrain, seed);
        // ids outlive the process (they are kept in the bucket): unique, not a counter that restarts at 1
        String id = ExperimentDetails.KIND + "-" + UUID.randomUUID().toString().substring(0, 8);
        Operation<ExperimentDetails> accepted = experiments.start(Operation.pending(id, ExperimentDetails.KIND,
                Progress.of(0, 1L, ExperimentDetails.UNIT), new ExperimentDetails(d.id(), columns, samples.trainSlices,
                        samples.trainUsed, samples.validSlices, null, null)));
        runner.submit(() -> run(id, samples.all, trees, seed));
        return accepted;
    }

    private static long seedOf(DatasetPublished d) {
        Object split = d.spec() == null ? null : d.spec().get("split");
        if (split instanceof Map<?, ?> m && m.get("seed") instanceof Number n) return n.longValue();
        return 42L;
    }

    private void run(String id, List<MetadataSample> samples, int trees, long seed) {
        if (System.getenv("OMP_WAIT_POLICY") == null) {
            LOG.warnf("OMP_WAIT_POLICY is not set: XGBoost's idle OpenMP threads spin, which on shared cores made the"
                    + " forest's fit about 10x slower; the image and ./ich up set OMP_WAIT_POLICY=PASSIVE (docs/labeling.md)");
        }
        experiments.update(id, op -> op.progressed(op.progress(), op.details()).withMessage("fitting " + trees + " trees"));
        long t0 = System.nanoTime();
        try {
            BaselineReport report = MetadataBaseline.builder().setSeed(seed).optTrees(trees).build().run(samples);
            Operation<ExperimentDetails> done = experiments.update(id, op -> op.withMessage(null).succeeded(
                    Progress.of(1, 1L, ExperimentDetails.UNIT), op.details().ended(seconds(t0), report)));
            LOG.infof("%s on %s: %s", id, done.details().dataset(), report.verdict());
        } catch (IllegalArgumentException ex) {
            // the data cannot support the experiment (one class only, too few slices): the caller's to act on
            experiments.update(id, op -> op.withMessage(null).failed(Problem.of(422, "DataCannotSupport", ex.getMessage()),
                    op.progress(), op.details().ended(seconds(t0), null)));
        } catch (RuntimeException ex) {
            LOG.errorf(ex, "%s failed", id);
            experiments.update(id, op -> op.withMessage(null).failed(Problem.of(500, "ExperimentFailed", "the forest failed: " + ex),
                    op.progress(), op.details().ended(seconds(t0), null)));
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    public Operation<ExperimentDetails> get(String id) {
        return experiments.find(id).orElseThrow(() -> ApiProblem.notFound("no experiment " + id
                + " (GET /experiments lists them)"));
    }

    public List<Operation<ExperimentDetails>> all() {
        return experiments.list();
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
