package dev.ich.cli;

import dev.ich.cli.auth.Credentials;
import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.Processes;
import dev.ich.cli.stack.StackLayout;
import dev.ich.cli.stack.StackPorts;
import dev.ich.cli.stack.StackUser;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What checking a bearer token adds to a request: the stack's inference service (tokens checked) against a second
 * inference process on the same model and bucket started by this command with {@code ICH_AUTH_ENABLED=false} (it says
 * so in its log), requests interleaved one by one so both sides see the same machine, p50 and p90 of each side and the
 * difference, on {@code POST /predict} and on {@code GET /v2/health/live} (where the check is most of the work).
 */
@Command(name = "auth", mixinStandardHelpOptions = true,
        description = "Latency that token checking adds: the stack's inference vs an unchecked copy started for the run.")
final class BenchAuthCommand implements Callable<Integer> {
    @Option(names = "--requests", defaultValue = "300", description = "Measured requests per side and path (default: ${DEFAULT-VALUE}).")
    int requests;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Integer call() throws Exception {
        StackLayout layout = StackLayout.fromSystem();
        Map<String, String> env = new LocalStack(layout, System.err).readStackEnv();
        if (!env.containsKey("INFERENCE_URL")) {
            System.err.println("bench auth: the local stack is not running (./ich up, then ./ich demo or ./ich bench predict --model)");
            return 3;
        }
        Credentials clinician = Credentials.forStack(env, "ich-clinician");
        String checked = env.get("INFERENCE_URL");
        if (send(clinician, HttpRequest.newBuilder(URI.create(checked + "/v2/models/ich")).GET()).statusCode() != 200) {
            System.err.println("bench auth: no model is served at " + checked + " (./ich demo promotes one)");
            return 2;
        }
        byte[] slice = slice();
        int port = free();
        int managementPort = free();
        Path log = layout.logs().resolve("bench-auth-unchecked-inference.log");
        Map<String, String> unchecked = new LinkedHashMap<>();
        unchecked.put("KAFKA_BOOTSTRAP_SERVERS", env.get("KAFKA_BOOTSTRAP"));
        unchecked.put("ICH_STORAGE_ENDPOINT", env.get("S3_ENDPOINT"));
        unchecked.put("ICH_STORAGE_ACCESS_KEY", env.get("S3_ACCESS_KEY"));
        unchecked.put("ICH_STORAGE_SECRET_KEY", env.get("S3_SECRET_KEY"));
        unchecked.put("ICH_STORAGE_BUCKET", env.get("S3_BUCKET"));
        StackUser user = StackUser.forStack();
        Path work = Files.createTempDirectory("ich-bench-auth");
        user.own(work);
        user.letThrough(work);
        unchecked.put("ICH_INFERENCE_WORK_DIRECTORY", work.toString());
        if (user.dropsPrivileges()) {
            unchecked.put("HOME", work.toString());
            unchecked.put("DJL_CACHE_DIR", work.resolve(".djl.ai").toString());
        }
        // An unchecked copy is the last thing to expose: loopback only, like the stack.
        unchecked.put("QUARKUS_HTTP_HOST", StackPorts.LOOPBACK);
        unchecked.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        unchecked.put("QUARKUS_MANAGEMENT_HOST", StackPorts.LOOPBACK);
        unchecked.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        unchecked.put("ICH_AUTH_ENABLED", "false");
        Path jar = layout.home().resolve("services/inference/target/quarkus-app/quarkus-run.jar");
        System.out.println("starting an inference copy with ICH_AUTH_ENABLED=false on 127.0.0.1:" + port + " (log: " + log + ")");
        ProcessHandle copy = Processes.start(List.of(Processes.javaBinary(), "-Xmx1g", "-jar", jar.toString()), unchecked, log,
                layout.pids().resolve("bench-auth.pid"), user, work);
        try {
            String open = "http://127.0.0.1:" + port;
            awaitReady("http://127.0.0.1:" + managementPort + "/q/health/ready", copy);
            Credentials none = Credentials.forStack(Map.of(), "none");
            System.out.printf(Locale.ROOT, "%-22s %9s %9s %9s %9s %9s%n", "request", "checked", "p90", "unchecked", "p90", "p50 added");
            for (String path : List.of("GET /v2/health/live", "POST /predict")) {
                double[][] ms = interleaved(path, checked, clinician, open, none, slice);
                System.out.printf(Locale.ROOT, "%-22s %7.2f ms %6.2f ms %7.2f ms %6.2f ms %7.2f ms%n", path, p(ms[0], 50), p(ms[0], 90),
                        p(ms[1], 50), p(ms[1], 90), p(ms[0], 50) - p(ms[1], 50));
            }
            System.out.println("(" + requests + " requests per side and path after 30 warm-up each, one client, interleaved; "
                    + Runtime.getRuntime().availableProcessors() + " cores; the same model on both sides)");
            return 0;
        } finally {
            Processes.stop(copy, Duration.ofSeconds(30));
            Files.deleteIfExists(layout.pids().resolve("bench-auth.pid"));
        }
    }

    private double[][] interleaved(String path, String checked, Credentials token, String open, Credentials none, byte[] slice)
            throws Exception {
        double[] a = new double[requests];
        double[] b = new double[requests];
        for (int i = -30; i < requests; i++) {
            double x = timed(path, checked, token, slice);
            double y = timed(path, open, none, slice);
            if (i >= 0) {
                a[i] = x;
                b[i] = y;
            }
        }
        Arrays.sort(a);
        Arrays.sort(b);
        return new double[][] {a, b};
    }

    private double timed(String path, String base, Credentials credentials, byte[] slice) throws Exception {
        HttpRequest.Builder r = path.startsWith("GET")
                ? HttpRequest.newBuilder(URI.create(base + "/v2/health/live")).GET()
                : HttpRequest.newBuilder(URI.create(base + "/predict")).header("Content-Type", "application/dicom")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(slice));
        credentials.authorization(); // a cached token: fetching one is not part of a request's latency
        long t0 = System.nanoTime();
        HttpResponse<Void> response = http.send(credentials.apply(r).build(), HttpResponse.BodyHandlers.discarding());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (response.statusCode() != 200) throw new IllegalStateException(path + " at " + base + " answered " + response.statusCode());
        return ms;
    }

    private HttpResponse<String> send(Credentials credentials, HttpRequest.Builder r) throws Exception {
        return http.send(credentials.apply(r).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady(String url, ProcessHandle copy) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!copy.isAlive()) throw new IllegalStateException("the unchecked inference copy exited; see its log");
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500); // polling its readiness: the copy loads the served model before it is ready
        }
        throw new IllegalStateException("the unchecked inference copy was not ready within 3 minutes");
    }

    private static double p(double[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    private static byte[] slice() throws Exception {
        PhantomSet set = new PhantomGenerator(PhantomOptions.of(1, 7).withSlicesPerStudy(16)).generate(Files.createTempDirectory("ich-bench-auth"));
        return Files.readAllBytes(set.slices().get(8).file());
    }

    private static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
