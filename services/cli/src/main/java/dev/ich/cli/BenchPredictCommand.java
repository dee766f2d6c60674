package dev.ich.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.cli.auth.Credentials;
import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import dev.ich.core.augment.PlanarImage;
import dev.ich.core.clean.CleanedSlice;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.event.Events;
import dev.ich.core.event.ModelPublished;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import dev.ich.core.storage.VersionCounter;
import dev.ich.testkit.TopicTap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * `ich bench predict`: the running inference service driven by 1, 4 and 16 concurrent clients on phantom slices,
 * through {@code POST /predict} (DICOM: reading and cleaning included) and the Open Inference Protocol with
 * preprocessed FP32 tensors, as JSON numbers and as the binary tensor data extension's raw bytes (batching and HTTP
 * only), beside the served model's raw forward throughput in the service's own process at the same batch sizes
 * ({@code POST /bench/forward}).
 */
@Command(name = "predict", description = {"Images/s and p50/p95/p99 latency of the running inference service with 1, 4 and 16 "
        + "concurrent clients (DICOM through /predict, and preprocessed FP32 through /v2/models/ich/infer as JSON and as binary "
        + "tensor data), beside the model's "
        + "raw forward throughput in-process at the same batch sizes. Needs a promoted model (or --model)."})
final class BenchPredictCommand implements Callable<Integer> {
    @Option(names = "--clients", defaultValue = "1,4,16", split = ",", description = "Concurrent clients per run (default: ${DEFAULT-VALUE}).")
    int[] clients;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per run, after 2 s of warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--model", paramLabel = "DIR", description = {"A model version folder as `./ich experiment baseline --out` writes it "
            + "(<out>/models/<name>/v<N>): uploaded to the stack's bucket as the next version of its name there (never over a stored "
            + "version) and promoted (models/serving.json, then models-published) before measuring."})
    Path model;

    @Option(names = "--paths", defaultValue = "dicom,tensor,binary", split = ",", description = "Paths to measure, of dicom, tensor"
            + " (FP32 as JSON numbers), binary (FP32 as the binary tensor data extension's bytes) (default: ${DEFAULT-VALUE}).")
    List<String> paths;

    @Option(names = "--to", paramLabel = "URL", description = "Inference base URL (default: INFERENCE_URL of the running local stack).")
    String to;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /**
     * Predicting is ich-clinician's and the raw-forward endpoint ich-admin's alone (it holds every core while it runs):
     * the benchmark acts as ich-admin, the local stack's client of that name (or ICH_TOKEN / a site's client).
     */
    private Credentials credentials;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = new LocalStack(StackLayout.fromSystem(), System.err).readStackEnv();
        String base = to != null ? to : env.getOrDefault("INFERENCE_URL", "http://127.0.0.1:8085");
        credentials = Credentials.forStack(env, "ich-admin");
        if (model != null) promote(env, base);
        HttpResponse<String> meta = get(base + "/v2/models/ich");
        if (meta.statusCode() != 200) {
            System.err.println("bench predict: no model served at " + base + " (" + meta.statusCode() + "): " + meta.body());
            return 2;
        }
        JsonNode m = Events.JSON.readTree(meta.body());
        int side = m.path("inputs").get(1).path("shape").get(2).asInt();
        System.out.printf(Locale.ROOT, "model: %s %s (%s, %s px), %d cores here%n", m.path("parameters").path("model").asText(),
                m.path("versions").get(0).asText(), m.path("parameters").path("architecture").asText(), side,
                Runtime.getRuntime().availableProcessors());

        for (String p : paths) {
            if (!List.of("dicom", "tensor", "binary").contains(p)) {
                System.err.println("bench predict: --paths takes dicom, tensor and binary; got " + p);
                return 2;
            }
        }
        List<byte[]> slices = new ArrayList<>();
        List<String> tensors = new ArrayList<>();
        List<byte[]> binaries = new ArrayList<>();
        phantoms(side, slices, tensors, binaries);

        // The machine may be shared: each level's raw figure is measured right before the service runs at that level.
        System.out.printf(Locale.ROOT, "%-8s %7s %10s %8s %8s %8s %13s %8s%n", "path", "clients", "images/s", "p50 ms", "p95 ms", "p99 ms",
                "raw images/s", "of raw");
        for (int c : clients) {
            Double rawAt = raw(base, c, "");
            if (c == 1) {
                // The adaptive pool's lone pass: one copy on every core. Beside the raw layout, so the two can be compared.
                Double wide = raw(base, 1, "&copies=1&threads=" + Runtime.getRuntime().availableProcessors());
                if (wide != null) {
                    System.out.printf(Locale.ROOT, "raw at batch 1: %.1f images/s with one copy per predictor on one thread each, %.1f images/s"
                            + " (one image at a time) with one copy on %d threads%n", rawAt, wide, Runtime.getRuntime().availableProcessors());
                }
            }
            for (String path : paths) {
                Run r = run(base, path, c, slices, tensors, binaries);
                System.out.printf(Locale.ROOT, "%-8s %7d %10.1f %8.1f %8.1f %8.1f %13s %8s%s%n", path, c, r.perSecond(), r.percentile(50),
                        r.percentile(95), r.percentile(99), rawAt == null ? "-" : String.format(Locale.ROOT, "%.1f", rawAt),
                        rawAt == null ? "-" : String.format(Locale.ROOT, "%.0f %%", 100 * r.perSecond() / rawAt),
                        r.failed() > 0 ? "  (" + r.failed() + " failed: " + r.firstFailure() + ")" : "");
            }
        }
        System.out.println("raw: the served version's forward pass alone at batch = clients (POST /bench/forward: a second copy of the"
                + " network in the service's process, no HTTP, no preprocessing, no queue), measured just before each level.");
        return 0;
    }

    /** Raw forward images/s at one batch size, measured by the service on its own copy of the model; null when disabled. */
    private Double raw(String base, int batch, String layout) throws Exception {
        HttpResponse<String> r = http.send(credentials.apply(HttpRequest.newBuilder(URI.create(base + "/bench/forward?batch=" + batch + "&seconds="
                + Math.max(2, seconds / 2) + layout))).POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            // 404: the endpoint is off (the local stack turns it on; the reason says how); 401/403: no ich-admin token.
            System.out.println("raw forward: not measured (" + r.statusCode() + ": " + ProblemText.of(r.body()) + ")");
            return null;
        }
        JsonNode f = Events.JSON.readTree(r.body()).path("figures").get(0);
        return f.path("imagesPerSecond").asDouble();
    }

    record Run(double perSecond, double[] latenciesMs, int failed, String firstFailure) {
        double percentile(int p) {
            if (latenciesMs.length == 0) return Double.NaN;
            return latenciesMs[Math.min(latenciesMs.length - 1, (int) Math.ceil(p / 100.0 * latenciesMs.length) - 1)];
        }
    }

    private Run run(String base, String path, int clients, List<byte[]> slices, List<String> tensors, List<byte[]> binaries) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        long end = warmEnd + (long) (seconds * 1e9);
        List<Future<List<long[]>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                List<long[]> mine = new ArrayList<>();
                while (System.nanoTime() < end) {
                    int i = next.getAndIncrement();
                    long t0 = System.nanoTime();
                    HttpRequest request = switch (path) {
                        case "dicom" -> credentials.apply(HttpRequest.newBuilder(URI.create(base + "/predict"))).header("Content-Type", "application/dicom")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(slices.get(i % slices.size()))).build();
                        case "tensor" -> credentials.apply(HttpRequest.newBuilder(URI.create(base + "/v2/models/ich/infer")))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(tensors.get(i % tensors.size()))).build();
                        default -> {
                            byte[] body = binaries.get(i % binaries.size());
                            yield credentials.apply(HttpRequest.newBuilder(URI.create(base + "/v2/models/ich/infer")))
                                    .header("Content-Type", "application/octet-stream")
                                    .header("Inference-Header-Content-Length", Integer.toString(binaryHeaderLength(body)))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                        }
                    };
                    int status;
                    try {
                        status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        status = -1;
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= warmEnd && t1 <= end) mine.add(new long[] {t1 - t0, status});
                }
                return mine;
            }));
        }
        List<Double> ok = new ArrayList<>();
        int failed = 0;
        String first = null;
        for (Future<List<long[]>> f : futures) {
            for (long[] x : f.get()) {
                if (x[1] == 200) ok.add(x[0] / 1e6);
                else {
                    failed++;
                    if (first == null) first = "HTTP " + x[1];
                }
            }
        }
        pool.shutdown();
        double[] ms = ok.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Run(ms.length / seconds, ms, failed, first);
    }

    /** The JSON header's length of a binary request body: the bytes up to the end of its object (a body this class wrote). */
    private static int binaryHeaderLength(byte[] body) {
        int depth = 0;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '{') depth++;
            else if (body[i] == '}' && --depth == 0) return i + 1;
        }
        throw new IllegalStateException("no JSON header");
    }

    /**
     * One phantom study: its DICOM bytes, and its slices cleaned at the model's side as OIP FP32 request bodies, as JSON
     * numbers and as a JSON header followed by the image's little-endian floats (the binary tensor data extension).
     */
    private static void phantoms(int side, List<byte[]> slices, List<String> tensors, List<byte[]> binaries) throws Exception {
        PhantomSet set = new PhantomGenerator(PhantomOptions.of(1, 5).withSlicesPerStudy(16)).generate(Files.createTempDirectory("ich-bench-predict"));
        CleaningPipeline pipeline = new CleaningPipeline(dev.ich.core.clean.PipelineConfig.defaults().withSize(side));
        DicomReader reader = DicomReader.create();
        for (SliceTruth t : set.slices()) {
            slices.add(Files.readAllBytes(t.file()));
            CleanedSlice c = pipeline.clean(reader.read(t.file()));
            if (!c.kept() || tensors.size() >= 4) continue;
            PlanarImage img = PlanarImage.fromPng(c.png());
            StringBuilder json = new StringBuilder("{\"inputs\": [{\"name\": \"image\", \"datatype\": \"FP32\", \"shape\": [1, ")
                    .append(img.channels()).append(", ").append(side).append(", ").append(side).append("], \"data\": [");
            float[] d = img.data();
            for (int i = 0; i < d.length; i++) json.append(i == 0 ? "" : ",").append(d[i]);
            tensors.add(json.append("]}]}").toString());
            byte[] header = ("{\"inputs\": [{\"name\": \"image\", \"datatype\": \"FP32\", \"shape\": [1, " + img.channels() + ", " + side + ", "
                    + side + "], \"parameters\": {\"binary_data_size\": " + 4 * d.length + "}}]}").getBytes(StandardCharsets.UTF_8);
            java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(header.length + 4 * d.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            body.put(header);
            for (float v : d) body.putFloat(v);
            binaries.add(body.array());
        }
    }

    /**
     * Uploads a model version folder as the next version of its name in the stack's bucket and promotes it as training's
     * promote does; waits until it is served.
     */
    private void promote(Map<String, String> env, String base) throws Exception {
        if (!env.containsKey("S3_ENDPOINT")) throw new IllegalStateException("--model needs the running local stack (./ich up)");
        ObjectStore store = new ObjectStore(new StorageSettings(env.get("S3_ENDPOINT"), env.get("S3_ACCESS_KEY"), env.get("S3_SECRET_KEY"),
                env.get("S3_BUCKET")));
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode) Events.JSON.readTree(
                model.resolve("model.json").toFile());
        String name = ObjectKeys.requireName("model name", json.path("name").asText());
        // The folder's number counts in the experiment's own folder only: in the stack's bucket it may name another
        // version already, which must not be overwritten. So the upload is a new version there (never a reused number).
        int highest = 0;
        for (var o : store.list("models/" + name + "/")) {
            String[] parts = o.key().split("/");
            if (parts.length > 3 && parts[2].matches("v[0-9]{1,9}")) highest = Math.max(highest, Integer.parseInt(parts[2].substring(1)));
        }
        String version = "v" + VersionCounter.in(store, ObjectKeys.modelHighWater(name)).claim(highest);
        String prefix = ObjectKeys.model(name, version);
        try (Stream<Path> files = Files.walk(model)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String relative = model.relativize(f).toString().replace('\\', '/');
                if (!relative.equals("model.json")) store.putFile(prefix + relative, f, "application/octet-stream");
            }
        }
        json.put("version", version);
        json.put("weights", prefix + "weights/");
        store.put(prefix + "model.json", Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json), "application/json", Map.of());
        ModelPublished event = new ModelPublished(name, version, prefix, Map.of(), json.path("dataset").asText(null),
                Events.JSON.convertValue(json.path("preprocessing"), Map.class), Instant.now());
        store.put(ObjectKeys.SERVING_MODEL, Events.JSON.writeValueAsBytes(event), "application/json", Map.of());
        try (TopicTap.Producer producer = new TopicTap.Producer(env.get("KAFKA_BOOTSTRAP"))) {
            producer.sendJson(Topics.MODELS_PUBLISHED, name, event);
        }
        System.err.println("uploaded " + model + " as " + name + "/" + version + " and promoted it; waiting until it is served");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(base + "/v2/models/ich");
            if (r.statusCode() == 200 && Events.JSON.readTree(r.body()).path("versions").get(0).asText().equals(version)) return;
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + "/" + version + " was not served within 2 minutes: " + get(base + "/v2/health/ready").body());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(credentials.apply(HttpRequest.newBuilder(URI.create(url))).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
