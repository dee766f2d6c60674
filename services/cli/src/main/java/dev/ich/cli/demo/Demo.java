package dev.ich.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.cli.auth.Credentials;
import dev.ich.cli.stack.LocalPacs;
import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.Service;
import dev.ich.cli.stack.StackLayout;
import dev.ich.cli.stack.StackPorts;
import dev.ich.core.event.Events;
import dev.ich.core.label.Label;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import me.tongfei.progressbar.ProgressBar;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The notebooks' experiment end to end through the services of the local stack, over their public APIs only: phantoms
 * in through ingest's three doors, cleaning, labels, exploration, a dataset, the metadata-only forest, the learning-rate
 * finder, a baseline from scratch, a fine-tune from it, promotion, and predictions on a study nobody trained on.
 * Each step prints one line of results; the end is a table beside the notebooks' own figures (docs/demo.md).
 */
public final class Demo {
    /** A training job that shows no progress for this long fails its step, naming the log to read. */
    private static final Duration STALL = Duration.ofMinutes(10);

    private final DemoSettings s;
    /** Start the stack from the container images (./ich demo --images) rather than as processes. */
    private boolean fromImages;
    private final StackLayout layout;
    private final StackPorts ports;
    private final Duration stackTimeout;
    private final PrintStream out;
    private final PrintStream progress;
    private final Summary summary = new Summary();
    private final String run = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    private final Path dir;

    /** The local client the demo's calls act as: every role a run of the experiment needs, not ich-admin. */
    static final String DEMO_CLIENT = "ich-demo";
    private Credentials credentials;
    private ServiceApi ingest, cleaning, labeling, training, inference;
    private TrainingJobs jobs;
    private ObjectStore store;
    private String dimse;
    private PhantomSet phantoms, heldOut;
    private String pipeline;
    private int labelsVersion;
    private String dataset;
    private double majority;
    private double lr;
    private String promoted;
    private Map<String, String> stackEnv;

    /** The demo on a stack started from the images ./ich images built (when it starts one; a running stack is used as it is). */
    public Demo fromImages() {
        this.fromImages = true;
        return this;
    }

    public Demo(DemoSettings settings, StackLayout layout, StackPorts ports, Duration stackTimeout, PrintStream out, PrintStream progress) {
        this.s = settings;
        this.layout = layout;
        this.ports = ports;
        this.stackTimeout = stackTimeout;
        this.out = out;
        this.progress = progress;
        this.dir = layout.root().resolve("demo").resolve(run);
    }

    public Path directory() {
        return dir;
    }

    /** 0 when every step succeeded, 1 when one failed (the step, the reason and the log to read are printed). */
    public int run() throws Exception {
        out.printf(Locale.ROOT, "ich demo%s: %d phantom studies, %d px, seed %d; results and summary in %s%n", s.quick() ? " --quick" : "",
                s.studies(), s.size(), s.seed(), dir);
        String current = "stack";
        try {
            step(current, this::stack);
            step(current = "phantoms", this::phantoms);
            step(current = "ingest", this::ingest);
            step(current = "cleaning", this::cleaning);
            step(current = "labels", this::labels);
            step(current = "exploration", this::exploration);
            step(current = "dataset", this::dataset);
            step(current = "metadata-only", this::metadataOnly);
            step(current = "lr-find", this::lrFind);
            step(current = "baseline", this::baseline);
            step(current = "fine-tune", this::fineTune);
            step(current = "study-head", this::studyHead);
            if (s.sweep() > 1) step(current = "sweep", this::sweep);
            step(current = "promote", this::promote);
            step(current = "predict", this::predict);
            step(current = "triage", this::triage);
        } catch (StepFailure f) {
            summary.failed(current, f.getMessage(), f.log());
            summary.write(dir);
            out.println();
            out.println("ich demo: step '" + current + "' failed: " + f.getMessage());
            if (f.log() != null) out.println("ich demo: its log: " + f.log());
            out.println("ich demo: what ran before it is kept (stack, data, jobs); " + dir.resolve("summary.json") + " has the steps so far.");
            return 1;
        }
        summary.write(dir);
        out.println();
        summary.print(out);
        out.println();
        out.println("ich demo: done in " + Summary.duration(summary.totalSeconds()) + ". The stack keeps running (./ich status; ./ich down stops it);"
                + " the table is also in " + dir.resolve("summary.md"));
        return 0;
    }

    private interface Step {
        Outcome run() throws Exception;
    }

    /**
     * A step's result: the line printed when it ends, the brief form for the summary table, the notebooks' figure beside it,
     * and lines of detail printed under the result line.
     */
    private record Outcome(String line, String brief, String seed, List<String> details) {
        Outcome(String line, String brief, String seed) {
            this(line, brief, seed, List.of());
        }
    }

    /** Runs one step, prints its result line and records it; anything unexpected becomes a failure of this step. */
    private void step(String name, Step step) {
        long t0 = System.nanoTime();
        Outcome outcome;
        try {
            outcome = step.run();
        } catch (StepFailure f) {
            throw f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted", null, e);
        } catch (Exception e) {
            throw new StepFailure(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), null, e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        summary.row(name, seconds, outcome.brief(), outcome.seed());
        out.printf(Locale.ROOT, "%-13s %s (%s)%n", name, outcome.line(), Summary.duration(seconds));
        for (String detail : outcome.details()) out.println("              " + detail);
    }

    // ---------------------------------------------------------------------------------------------- the steps

    private Outcome stack() throws Exception {
        LocalStack stack = new LocalStack(layout, progress);
        if (fromImages) stack.fromImages();
        boolean started = false;
        if (!stack.running()) {
            progress.println("starting the local stack (./ich up --image-size " + s.size() + (fromImages ? " --images" : "") + ")");
            int status = stack.up(ports, stackTimeout, Map.of("ICH_CLEANING_PIPELINE_SIZE", Integer.toString(s.size())));
            if (status != 0) throw new StepFailure("the local stack did not start (its messages are above)", layout.logs().toString());
            started = true;
        }
        Map<String, String> env = stack.readStackEnv();
        List<String> missing = new ArrayList<>();
        for (Service service : Service.ALL) if (!env.containsKey(service.name().toUpperCase(Locale.ROOT) + "_URL")) missing.add(service.name());
        if (!missing.isEmpty()) {
            throw new StepFailure("the running stack has no " + String.join(", ", missing) + " (not built when it started?): ./ich build, "
                    + "./ich down, then ./ich demo again", layout.logs().toString());
        }
        // The demo acts as one service account, ich-demo: every role a run needs, none to delete (docs/security.md).
        credentials = Credentials.forStack(env, DEMO_CLIENT);
        ingest = api("ingest", env);
        cleaning = api("cleaning", env);
        labeling = api("labeling", env);
        training = api("training", env);
        inference = api("inference", env);
        jobs = new TrainingJobs(training, layout.data().resolve("training/logs"), STALL, progress);
        dimse = env.get("INGEST_DIMSE");
        stackEnv = env;
        store = new ObjectStore(new StorageSettings(env.get("S3_ENDPOINT"), env.get("S3_ACCESS_KEY"), env.get("S3_SECRET_KEY"), env.get("S3_BUCKET")));
        new ServiceApi("training", env.get("TRAINING_MANAGEMENT_URL"), layout.log("training"), credentials).get("/q/health/ready", 200);
        return new Outcome((started ? "started" : "already running") + ": Kafka, S3 and " + Service.ALL.stream().map(Service::name)
                .collect(Collectors.joining(", ")), started ? "started: Kafka, S3, 5 services" : "already running", "-");
    }

    private ServiceApi api(String name, Map<String, String> env) {
        return new ServiceApi(name, env.get(name.toUpperCase(Locale.ROOT) + "_URL"), layout.log(name), credentials);
    }

    private Outcome phantoms() throws Exception {
        PhantomOptions training = PhantomOptions.of(s.studies(), s.seed()).withSlicesPerStudy(DemoSettings.SLICES_PER_STUDY)
                .withPositiveRate(s.positiveRate());
        // Another seed gives other UIDs and patients: the held-out studies are in nothing the models learnt from.
        PhantomOptions held = PhantomOptions.of(s.heldOut(), s.seed() + 1_000_003L).withSlicesPerStudy(DemoSettings.SLICES_PER_STUDY)
                .withPositiveRate(s.positiveRate());
        try (ProgressBar bar = Progress.bar("phantoms", (long) (s.studies() + s.heldOut()) * DemoSettings.SLICES_PER_STUDY, " slices", progress)) {
            phantoms = new PhantomGenerator(training).generate(dir.resolve("phantoms"), slice -> bar.step());
            heldOut = new PhantomGenerator(held).generate(dir.resolve("held-out"), slice -> bar.step());
        }
        long bleeding = phantoms.positives(Label.ANY);
        summary.number("phantoms.slices", phantoms.slices().size());
        String brief = String.format(Locale.ROOT, "%d studies, %,d slices, %.0f %% bleeding", phantoms.studies(), phantoms.slices().size(),
                100.0 * bleeding / phantoms.slices().size());
        return new Outcome(brief + "; " + heldOut.studies() + " held-out " + (heldOut.studies() == 1 ? "study" : "studies") + " in "
                + dir.resolve("held-out"), brief, "874,035 slices, 1 in 7 bleeding");
    }

    private Outcome ingest() throws Exception {
        Map<String, List<Path>> byStudy = new TreeMap<>();
        for (SliceTruth t : phantoms.slices()) byStudy.computeIfAbsent(t.studyInstanceUid(), k -> new ArrayList<>()).add(t.file());
        List<List<Path>> studies = new ArrayList<>(byStudy.values());
        // Half the studies by STOW-RS, a quarter by C-STORE, the rest by bulk import (at least one study each way).
        int stowEnd = Math.max(1, studies.size() / 2), storeEnd = Math.max(stowEnd + 1, studies.size() * 3 / 4);
        List<Path> stow = flatten(studies.subList(0, Math.min(stowEnd, studies.size())));
        List<Path> cStore = flatten(studies.subList(Math.min(stowEnd, studies.size()), Math.min(storeEnd, studies.size())));
        List<Path> imported = flatten(studies.subList(Math.min(storeEnd, studies.size()), studies.size()));
        Ingestion ways = new Ingestion(ingest, dimse, store, progress);
        List<Ingestion.Outcome> outcomes = new ArrayList<>();
        outcomes.add(ways.stow(stow, dir.resolve("send-journal")));
        if (!cStore.isEmpty()) outcomes.add(ways.cStore(cStore));
        if (!imported.isEmpty()) outcomes.add(ways.bulkImport(imported, dir.resolve("phantoms"), "imports/demo-" + run + "/"));
        long stored = 0, duplicate = 0, failed = 0;
        List<String> parts = new ArrayList<>();
        for (Ingestion.Outcome o : outcomes) {
            stored += o.stored();
            duplicate += o.duplicate();
            failed += o.failed();
            parts.add(String.format(Locale.ROOT, "%,d %s", o.files(), o.way()));
            if (o.failed() > 0) progress.println("ingest: " + o.way() + ": " + o.failed() + " failed " + o.detail());
        }
        if (failed > 0) throw new StepFailure(failed + " instances were refused by ingest (reasons above)", ingest.log().toString());
        summary.number("ingest.stored", stored);
        summary.number("ingest.duplicate", duplicate);
        String brief = String.format(Locale.ROOT, "%,d instances: %s", stored + duplicate, String.join(", ", parts));
        return new Outcome(String.format(Locale.ROOT, "%s; %,d stored%s", brief, stored,
                duplicate > 0 ? String.format(Locale.ROOT, ", %,d already there", duplicate) : ""), brief, "-");
    }

    private static List<Path> flatten(List<List<Path>> studies) {
        return studies.stream().flatMap(List::stream).toList();
    }

    private Outcome cleaning() throws Exception {
        List<String> studies = phantoms.slices().stream().map(SliceTruth::studyInstanceUid).distinct().toList();
        awaitRows(studies, null, "cleaning");
        String first = "/slices?kept=true&limit=1&columns=pipeline&study=" + enc(studies.get(0));
        pipeline = labeling.get(first, 200).body().path("rows").path(0).path("pipeline").asText();
        int size = pipelineSize(pipeline);
        String reprocessed = "";
        if (size != s.size()) {
            // The stack was started with another image size: re-clean what is stored at the demo's size (cleaning's own API).
            progress.println("cleaning: the stack cleans at " + size + " px, the demo trains at " + s.size() + " px: POST /reprocess");
            String id = cleaning.post("/reprocess", Map.of("pipeline", Map.of("size", s.size())), 202).body().path("id").asText();
            JsonNode p;
            try (ProgressBar bar = Progress.bar("reprocess", s.slices(), " slices", progress)) {
                p = Operations.await(cleaning, "/reprocess/" + id, "reprocess " + id, bar, Duration.ofSeconds(1));
            }
            long total = p.path("progress").path("total").asLong();
            pipeline = p.path("details").path("pipelineVersion").asText();
            awaitRows(studies, "pipeline:" + pipeline, "reprocess");
            reprocessed = String.format(Locale.ROOT, "; re-cleaned %,d stored slices from %d to %d px", total, size, s.size());
        }
        long kept = 0;
        for (String study : studies) {
            kept += labeling.get("/slices?kept=true&limit=1&columns=uid&study=" + enc(study) + "&where=" + enc("pipeline:" + pipeline), 200)
                    .body().path("total").asLong();
        }
        long dropped = s.slices() - kept;
        summary.number("cleaning.kept", kept);
        summary.number("cleaning.dropped", dropped);
        summary.number("pipeline", pipeline);
        return new Outcome(String.format(Locale.ROOT, "%,d slices cleaned by pipeline %s (%d px, brain/subdural/hist): %,d kept, %,d dropped "
                + "(img_pct_window < 0.02)%s", s.slices(), pipeline, s.size(), kept, dropped, reprocessed),
                String.format(Locale.ROOT, "%d px: %,d kept, %,d dropped", s.size(), kept, dropped), "256 px; 194,082 kept (balanced)");
    }

    /** Waits until labeling's table has a row for every slice of the studies (optionally matching a where filter). */
    private void awaitRows(List<String> studies, String where, String what) throws Exception {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String study : studies) rows.put(study, 0L);
        long expected = (long) studies.size() * DemoSettings.SLICES_PER_STUDY;
        long lastChange = System.nanoTime(), seen = 0;
        try (ProgressBar bar = Progress.bar(what, expected, " slices", progress)) {
            while (seen < expected) {
                for (Map.Entry<String, Long> e : rows.entrySet()) {
                    if (e.getValue() >= DemoSettings.SLICES_PER_STUDY) continue;
                    String q = "/slices?limit=1&columns=uid&study=" + enc(e.getKey()) + (where == null ? "" : "&where=" + enc(where));
                    e.setValue(labeling.get(q, 200).body().path("total").asLong());
                }
                long now = rows.values().stream().mapToLong(Long::longValue).sum();
                if (now != seen) lastChange = System.nanoTime();
                seen = now;
                bar.stepTo(seen);
                if (seen >= expected) break;
                if (System.nanoTime() - lastChange > Duration.ofMinutes(3).toNanos()) {
                    throw new StepFailure(String.format(Locale.ROOT, "%,d of %,d slices reached the metadata table and nothing moved for 3 min;"
                            + " look for dead letters (dicom-ingested-dlq, slices-cleaned-dlq) and errors in cleaning's log", seen, expected),
                            cleaning.log().toString());
                }
                Thread.sleep(1000); // slices flow ingest -> Kafka -> cleaning -> Kafka -> labeling; the table is where they land
            }
        }
    }

    private int pipelineSize(String version) throws Exception {
        JsonNode config = Events.JSON.readTree(store.get("clean/" + version + "/pipeline.json"));
        return config.path("size").asInt();
    }

    private Outcome labels() throws Exception {
        Path csv = phantoms.labelsCsv();
        ServiceApi.Answer a = labeling.send(HttpRequest.newBuilder(java.net.URI.create(labeling.url("/labels?source=" + enc("demo-" + run + ".csv"))))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(csv)), "POST /labels", 201);
        labelsVersion = a.body().path("version").asInt();
        summary.number("labels.version", labelsVersion);
        String brief = String.format(Locale.ROOT, "version %d: %,d slices, %,d bleeding", labelsVersion, a.body().path("slices").asLong(),
                a.body().path("positives").asLong());
        return new Outcome(brief + ", " + a.body().path("problems").size() + " kinds of problem", brief, "752,803 slices (stage 2)");
    }

    private Outcome exploration() {
        JsonNode e = labeling.get("/exploration?labels=" + labelsVersion, 200).body();
        long pos = e.path("target").path("positives").asLong(), neg = e.path("target").path("negatives").asLong();
        String subtypes = streamFields(e.path("subtypes"));
        List<String> bitParts = new ArrayList<>();
        for (JsonNode b : e.path("bits")) {
            bitParts.add("BitsStored " + b.path("bitsStored").asText() + " / PixelRepresentation " + b.path("pixelRepresentation").asText()
                    + ": " + b.path("slices").asLong());
        }
        String bits = String.join(", ", bitParts);
        String reportPath = "/exploration/report?labels=" + labelsVersion;
        summary.link("exploration report", labeling.url(reportPath), labeling.save(reportPath, dir.resolve("reports/exploration.html")));
        summary.number("exploration.positiveShare", pos + neg == 0 ? 0 : (double) pos / (pos + neg));
        double share = pos + neg == 0 ? 0 : 100.0 * pos / (pos + neg);
        return new Outcome(String.format(Locale.ROOT, "%,d slices in the table (%,d kept, %,d dropped, %,d unreadable); any: %,d bleeding, "
                        + "%,d not (%.0f %%)", e.path("slices").asLong(), e.path("kept").asLong(), e.path("dropped").asLong(),
                e.path("unreadable").asLong(), pos, neg, share),
                String.format(Locale.ROOT, "%.0f %% bleeding; %d BitsStored/PixelRepresentation groups", share, bitParts.size()),
                "1 in 7 bleeding; BitsStored 12 and 16", List.of("subtypes: " + subtypes, bits, "report: " + labeling.url(reportPath)));
    }

    private static String streamFields(JsonNode object) {
        List<String> parts = new ArrayList<>();
        object.fields().forEachRemaining(f -> parts.add(f.getKey() + " " + f.getValue().asLong()));
        return String.join(", ", parts);
    }

    private Outcome dataset() throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", "demo-any");
        request.put("labels", labelsVersion);
        request.put("task", "any");
        request.put("pipeline", pipeline);
        request.put("split", Map.of("by", "patient", "valid", 0.2, "seed", s.seed()));
        dataset = labeling.post("/datasets", request, 202).body().path("id").asText();
        JsonNode build;
        try (ProgressBar bar = Progress.bar("dataset", 1, " slices", progress)) {
            build = Operations.await(labeling, "/datasets/" + dataset, "dataset " + dataset, bar, Duration.ofMillis(500));
        }
        JsonNode counts = build.path("details").path("dataset").path("counts");
        long train = counts.path("train").path("slices").asLong(), valid = counts.path("valid").path("slices").asLong();
        long validPositives = counts.path("valid").path("any").asLong();
        majority = valid == 0 ? 0 : Math.max(validPositives, valid - validPositives) / (double) valid;
        summary.number("dataset.id", dataset);
        summary.number("dataset.train", train);
        summary.number("dataset.valid", valid);
        summary.number("dataset.validMajority", majority);
        return new Outcome(String.format(Locale.ROOT, "%s: balanced any, split by patient: %,d train / %,d valid slices (%d / %d patients);"
                        + " majority class %.0f %% of valid", dataset, train, valid, counts.path("train").path("patients").asLong(),
                counts.path("valid").path("patients").asLong(), 100 * majority),
                String.format(Locale.ROOT, "%,d train / %,d valid slices, by patient", train, valid), "194,082 slices, split by slice");
    }

    private Outcome metadataOnly() throws Exception {
        String id = labeling.post("/experiments/metadata-baseline", Map.of("dataset", dataset), 202).body().path("id").asText();
        JsonNode e = Operations.await(labeling, "/experiments/" + id, "metadata-only experiment " + id, null, Duration.ofMillis(500));
        JsonNode r = e.path("details").path("report");
        summary.number("metadata.accuracy", r.path("accuracy").asDouble());
        summary.number("metadata.auc", r.path("auc").asDouble());
        summary.number("metadata.majority", r.path("majorityBaseline").asDouble());
        List<String> top = new ArrayList<>();
        for (JsonNode f : r.path("importances")) if (top.size() < 2) top.add(f.path("feature").asText());
        return new Outcome(String.format(Locale.ROOT, "random forest (%d trees) on DICOM headers: accuracy %.3f, AUC %.3f vs %.3f for train's"
                        + " majority class; mostly %s", r.path("trees").asInt(), r.path("accuracy").asDouble(), r.path("auc").asDouble(),
                r.path("majorityBaseline").asDouble(), String.join(", ", top)),
                String.format(Locale.ROOT, "accuracy %.3f, AUC %.3f", r.path("accuracy").asDouble(), r.path("auc").asDouble()),
                "50.2 % (tables never joined: chance)");
    }

    private Outcome lrFind() throws Exception {
        Map<String, Object> spec = baseSpec(run + "-lr-find");
        spec.put("kind", "lr-find");
        spec.put("maxBatches", s.lrFindBatches());
        JsonNode job = jobs.follow(jobs.submit(spec), "lr-find");
        JsonNode finder = training.get("/jobs/" + job.path("id").asText() + "/files/lr-finder.json", 200).body();
        // One-cycle's peak is where the loss is lowest (Smith); the notebooks' steepest-descent rule suits a constant rate and,
        // on a short phantom sweep, lands where training barely moves (docs/demo.md, "The learning rate").
        lr = finder.path("lowest").asDouble();
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new StepFailure("the learning-rate finder gave no usable rate: " + finder, jobs.log(job.path("id").asText()));
        }
        summary.number("lr", lr);
        String finderPlot = "/jobs/" + job.path("id").asText() + "/files/lr-finder.png";
        summary.link("learning-rate finder", training.url(finderPlot), training.save(finderPlot, dir.resolve("reports/lr-finder.png")));
        return new Outcome(String.format(Locale.ROOT, "one-cycle peak %.2e, where the loss is lowest over %d SGD steps (steepest descent "
                + "at %.2e, minimum/10 %.2e)", lr, finder.path("rates").size(), finder.path("steepest").asDouble(),
                finder.path("minimumOverTen").asDouble()), String.format(Locale.ROOT, "peak %.1e (SGD)", lr), "3e-3 (Adam, steepest)");
    }

    private Outcome baseline() throws Exception {
        Map<String, Object> spec = baseSpec(run + "-baseline");
        spec.put("lr", lr);
        spec.put("epochs", s.epochs());
        spec.put("modelName", "demo-any-scratch");
        JsonNode job = jobs.follow(jobs.submit(spec), "baseline");
        return trained("baseline", job, s.epochs() + " epochs from scratch at " + String.format(Locale.ROOT, "%.2e", lr),
                "0.8886 (2 epochs from scratch), 0.8890 (5)");
    }

    private Outcome fineTune() throws Exception {
        JsonNode baseline = models.get("baseline");
        Map<String, Object> spec = baseSpec(run + "-fine-tune");
        spec.put("pretrained", "model:" + baseline.path("name").asText() + "/" + baseline.path("version").asText());
        spec.put("freezeEpochs", s.freezeEpochs());
        spec.put("epochs", s.freezeEpochs() + s.unfreezeEpochs());
        // Discriminative rates, first layer group .. head; the frozen epochs train the head (and batch norm) at lrMax.
        spec.put("lrMin", lr / 100);
        spec.put("lrMax", lr / 10);
        spec.put("modelName", "demo-any-finetuned");
        JsonNode job = jobs.follow(jobs.submit(spec), "fine-tune");
        return trained("fine-tune", job, String.format(Locale.ROOT, "from the baseline: %d frozen + %d unfrozen epochs, rates %.1e..%.1e",
                s.freezeEpochs(), s.unfreezeEpochs(), lr / 100, lr / 10), "ImageNet start: 0.8829 frozen, 0.8872 unfrozen (best 0.8895)");
    }

    /**
     * The study level (docs/training.md, "Study level"): a sequence head over the fine-tune's features of each study's slices,
     * scored on the same held-out patients as today's study score, the maximum over the slices. Not promoted: inference
     * serves slice models only.
     */
    private Outcome studyHead() throws Exception {
        JsonNode tuned = models.get("fine-tune");
        Map<String, Object> spec = baseSpec(run + "-study-head");
        spec.put("kind", "study-head");
        spec.put("sourceModel", "model:" + tuned.path("name").asText() + "/" + tuned.path("version").asText());
        // ./ich experiment study's defaults for the head: AdamW, one study a step
        spec.put("optimizer", "adamw");
        spec.put("epochs", 20);
        spec.put("lr", 1e-3);
        spec.put("modelName", "demo-any-study-head");
        JsonNode job = jobs.follow(jobs.submit(spec), "study-head");
        JsonNode metrics = training.get("/jobs/" + job.path("id").asText() + "/files/metrics.json", 200).body();
        JsonNode max = metrics.path("sliceMax"), head = metrics.path("studyHead");
        for (String f : List.of("study_auc_any", "study_weighted_log_loss", "slice_auc_any")) {
            summary.number("studyLevel.sliceMax." + f, max.path(f).asDouble());
            summary.number("studyLevel.studyHead." + f, head.path(f).asDouble());
        }
        String brief = String.format(Locale.ROOT, "study AUC %.3f vs %.3f (slice max), weighted log loss %.3f vs %.3f",
                head.path("study_auc_any").asDouble(), max.path("study_auc_any").asDouble(), head.path("study_weighted_log_loss").asDouble(),
                max.path("study_weighted_log_loss").asDouble());
        return new Outcome(String.format(Locale.ROOT, "a 1-D convolution over the fine-tune's features of each study's slices, on %d held-out"
                + " studies (%d slices): %s; slice AUC %.3f vs %.3f", head.path("studies").asInt(), head.path("slices").asInt(), brief,
                head.path("slice_auc_any").asDouble(), max.path("slice_auc_any").asDouble()), brief,
                "RSNA 2019 winners: sequence models over a study's slices");
    }

    private Outcome sweep() throws Exception {
        Map<String, Object> spec = baseSpec(run + "-sweep");
        spec.put("kind", "sweep");
        spec.put("seeds", s.sweep());
        spec.put("lr", lr);
        spec.put("epochs", s.epochs());
        spec.put("modelName", "demo-any-sweep");
        JsonNode job = jobs.follow(jobs.submit(spec), "sweep");
        JsonNode acc = job.path("details").path("summary").path("accuracy");
        JsonNode auc = job.path("details").path("summary").path("auc_any");
        summary.number("sweep.accuracy.mean", acc.path("mean").asDouble());
        summary.number("sweep.accuracy.std", acc.path("std").asDouble());
        summary.number("sweep.auc.mean", auc.path("mean").asDouble());
        summary.number("sweep.auc.std", auc.path("std").asDouble());
        String sweep = "/jobs/" + job.path("id").asText() + "/report";
        summary.link("sweep report", training.url(sweep), training.save(sweep, dir.resolve("reports/sweep.html")));
        String brief = String.format(Locale.ROOT, "accuracy %.3f ± %.3f, AUC %.3f ± %.3f over %d seeds", acc.path("mean").asDouble(),
                acc.path("std").asDouble(), auc.path("mean").asDouble(), auc.path("std").asDouble(), acc.path("n").asInt());
        return new Outcome(brief + " (values " + acc.path("values") + ")", brief, "advised, not reported");
    }

    private final Map<String, JsonNode> models = new LinkedHashMap<>();

    /** Records a trained model's figures and its report, and returns the step's row. */
    private Outcome trained(String which, JsonNode job, String how, String seed) {
        JsonNode m = job.path("details").path("metrics");
        String key = job.path("details").path("modelKey").asText(); // models/<name>/v<N>/
        String[] parts = key.split("/");
        if (parts.length < 3) throw new StepFailure("job " + job.path("id").asText() + " stored no model (modelKey " + key + ")",
                jobs.log(job.path("id").asText()));
        models.put(which, Events.JSON.createObjectNode().put("name", parts[1]).put("version", parts[2])
                .put("accuracy", m.path("accuracy").asDouble()).put("auc", m.path("auc_any").asDouble()));
        summary.number(which + ".accuracy", m.path("accuracy").asDouble());
        summary.number(which + ".auc", m.path("auc_any").asDouble());
        summary.number(which + ".validLoss", m.path("valid_loss").asDouble());
        summary.number(which + ".model", parts[1] + "/" + parts[2]);
        String report = "/jobs/" + job.path("id").asText() + "/report";
        summary.link(which + " report", training.url(report), training.save(report, dir.resolve("reports/" + which + ".html")));
        return new Outcome(String.format(Locale.ROOT, "accuracy %.3f, AUC %.3f, valid loss %.3f on held-out patients (%s); model %s %s",
                m.path("accuracy").asDouble(), m.path("auc_any").asDouble(), m.path("valid_loss").asDouble(), how, parts[1], parts[2]),
                String.format(Locale.ROOT, "accuracy %.3f, AUC %.3f", m.path("accuracy").asDouble(), m.path("auc_any").asDouble()), seed);
    }

    private Outcome promote() {
        JsonNode best = models.values().stream().max(java.util.Comparator.comparingDouble((JsonNode m) -> m.path("accuracy").asDouble())
                .thenComparingDouble(m -> m.path("auc").asDouble())).orElseThrow();
        String name = best.path("name").asText(), version = best.path("version").asText();
        training.post("/models/" + name + "/versions/" + version + "/promote", "{}", 200, 201);
        promoted = name + "/" + version;
        summary.number("promoted", promoted);
        String which = models.entrySet().stream().filter(e -> e.getValue() == best).map(Map.Entry::getKey).findFirst().orElse("");
        return new Outcome(String.format(Locale.ROOT, "%s %s (the %s, accuracy %.3f) now serves", name, version, which,
                best.path("accuracy").asDouble()), "the " + which + ": " + name + " " + version, "-");
    }

    private Outcome predict() throws Exception {
        HeldOutPrediction heldOutPrediction = new HeldOutPrediction(inference);
        String[] nv = promoted.split("/");
        heldOutPrediction.awaitServing(nv[0], nv[1]);
        HeldOutPrediction.Result r = heldOutPrediction.predict(heldOut);
        summary.number("heldOut.sliceAccuracy", r.judged() == 0 ? 0 : (double) r.right() / r.judged());
        summary.number("heldOut.studiesRight", r.studiesRight());
        summary.number("heldOut.studies", r.studies());
        String brief = String.format(Locale.ROOT, "%d / %d slices, %d / %d studies right", r.right(), r.judged(), r.studiesRight(), r.studies());
        return new Outcome(String.format(Locale.ROOT, "held-out studies through POST /predict/study: %s (%.0f %% of the slices the drop rule"
                + " keeps)", brief, r.judged() == 0 ? 0 : 100.0 * r.right() / r.judged()), brief, "-", r.details());
    }

    private Outcome triage() throws Exception {
        Path worklist = dir.resolve("reports").resolve("triage.html");
        DoorToPacs.Result r = new DoorToPacs(inference, new Ingestion(ingest, dimse, store, progress), stackEnv, new LocalPacs(layout))
                .run(heldOut, worklist);
        summary.number("triage.studies", r.studies());
        summary.number("triage.triaged", r.triaged());
        summary.number("triage.flagged", r.flagged());
        summary.number("triage.callsRight", r.callsRight());
        summary.number("triage.resultObjects", r.resultObjects());
        summary.number("triage.inPacs", r.inPacs());
        summary.link("triage worklist", inference.url("/triage"));
        summary.link("triage worklist (saved)", worklist.toString());
        if (r.pacs()) summary.link("local PACS (Orthanc; user ich, password in " + new LocalPacs(layout).passwordFile() + ")",
                stackEnv.get("ORTHANC_URL") + "/app/explorer.html");
        String brief = String.format(Locale.ROOT, "%d / %d studies triaged, %d flagged, %d calls right; %d result objects, %s",
                r.triaged(), r.studies(), r.flagged(), r.callsRight(), r.resultObjects(), r.pacs() ? r.inPacs() + " in Orthanc"
                        : "in the bucket (Orthanc not installed)");
        List<String> details = new ArrayList<>(r.details());
        details.add("worklist: " + inference.url("/triage") + " (saved: " + worklist + ")");
        if (r.pacs()) details.add("SRs and heatmaps in the local PACS: " + stackEnv.get("ORTHANC_URL") + "/app/explorer.html (user "
                + LocalPacs.USER + ", password in " + new LocalPacs(layout).passwordFile() + ")");
        if (r.triaged() < r.studies()) throw new StepFailure((r.studies() - r.triaged()) + " held-out studies were not triaged: "
                + String.join("; ", r.details()), inference.log().toString());
        if (r.pacs() && r.inPacs() < r.resultObjects()) throw new StepFailure("only " + r.inPacs() + " of " + r.resultObjects()
                + " result objects reached Orthanc within a minute (see inference's log: the export retries)", inference.log().toString());
        return new Outcome("held-out studies through C-STORE, triaged with no call by hand: " + brief, brief, "-", details);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private Map<String, Object> baseSpec(String id) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("id", id);
        spec.put("dataset", dataset);
        // SGD with momentum and one-cycle: the best measured on phantoms (docs/training.md); the finder sweeps with it too.
        spec.put("optimizer", "sgd");
        spec.put("batchSize", s.batchSize());
        spec.put("seed", s.seed());
        return spec;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
