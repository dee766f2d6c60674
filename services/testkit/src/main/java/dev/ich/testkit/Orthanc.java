package dev.ich.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Orthanc (Debian's {@code orthanc} with {@code orthanc-dicomweb}) for tests: an independent DICOM peer that
 * stores over C-STORE and STOW-RS and answers REST. Runs {@code Orthanc cfg.json} in the foreground on free ports with
 * a temporary storage folder, the DICOMweb plugin loaded at {@code /dicom-web/}. {@code extraConfig} overrides or adds
 * top-level configuration keys ({@code HttpPort} and {@code DicomPort} included, to restart one on the same ports).
 */
public final class Orthanc implements AutoCloseable {
    public static final String DEFAULT_AE_TITLE = "ORTHANC";
    private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/Orthanc"), Path.of("/usr/bin/Orthanc"));
    private static final List<Path> DICOMWEB_PLUGINS = List.of(Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so"),
            Path.of("/usr/lib/orthanc/libOrthancDicomWeb.so"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path home;
    private final Path log;
    private final int httpPort;
    private final int dicomPort;
    private final String aeTitle;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Orthanc(Process process, Path home, Path log, int httpPort, int dicomPort, String aeTitle, String authorization) {
        this.process = process;
        this.home = home;
        this.log = log;
        this.httpPort = httpPort;
        this.dicomPort = dicomPort;
        this.aeTitle = aeTitle;
        this.authorization = authorization;
    }

    /** The Orthanc executable, if installed ({@code apt-get install orthanc orthanc-dicomweb}). */
    public static Optional<Path> binary() {
        return BINARIES.stream().filter(Files::isExecutable).findFirst();
    }

    public static boolean available() {
        return binary().isPresent() && dicomWebPlugin().isPresent();
    }

    /** The DICOMweb plugin: the usual paths, else what {@code dpkg -L orthanc-dicomweb} lists. */
    public static Optional<Path> dicomWebPlugin() {
        Optional<Path> known = DICOMWEB_PLUGINS.stream().filter(Files::isRegularFile).findFirst();
        if (known.isPresent()) return known;
        try {
            Process dpkg = new ProcessBuilder("dpkg", "-L", "orthanc-dicomweb").redirectErrorStream(true).start();
            String listing = new String(dpkg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dpkg.waitFor(10, TimeUnit.SECONDS);
            return listing.lines().filter(l -> l.endsWith(".so")).map(Path::of).filter(Files::isRegularFile).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** A TCP port free right now on the loopback interface. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /**
     * Starts Orthanc and returns once its REST API answers. Skips the calling test (a JUnit assumption) when Orthanc or
     * its DICOMweb plugin is not installed; {@code ./ich test} installs both.
     */
    public static Orthanc start(Map<String, Object> extraConfig) {
        Assumptions.assumeTrue(available(), "Orthanc and its DICOMweb plugin are not installed (apt-get install orthanc"
                + " orthanc-dicomweb; ./ich test installs them): test skipped");
        Path binary = binary().orElseThrow(() -> new IllegalStateException("Orthanc is not installed (apt-get install orthanc orthanc-dicomweb)"));
        Path plugin = dicomWebPlugin().orElseThrow(() -> new IllegalStateException("the Orthanc DICOMweb plugin is not installed (apt-get install orthanc-dicomweb)"));
        Map<String, Object> config = new LinkedHashMap<>();
        Path home;
        try {
            home = Files.createTempDirectory("ich-orthanc-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("Name", "ich-test-orthanc");
        config.put("StorageDirectory", home.resolve("storage").toString());
        config.put("IndexDirectory", home.resolve("storage").toString());
        config.put("HttpPort", freePort());
        config.put("DicomPort", freePort());
        config.put("DicomAet", DEFAULT_AE_TITLE);
        config.put("RemoteAccessAllowed", false);
        config.put("AuthenticationEnabled", false);
        config.put("HttpDescribeErrors", true);
        config.put("DicomCheckCalledAet", false);
        config.put("DicomAlwaysAllowStore", true);
        config.put("ConcurrentJobs", 1);
        config.put("HttpThreadsCount", 8);
        // Orthanc closes an idle kept-alive connection after a second; the JDK's client would reuse it for minutes and
        // a POST on it then fails ("header parser received no bytes") whenever the machine is slow. A connection per call.
        config.put("KeepAlive", false);
        config.put("SaveJobs", false);
        config.put("Plugins", List.of(plugin.toString()));
        config.put("DicomWeb", Map.of("Enable", true, "Root", "/dicom-web/"));
        config.putAll(extraConfig);
        int httpPort = ((Number) config.get("HttpPort")).intValue();
        int dicomPort = ((Number) config.get("DicomPort")).intValue();
        String ae = String.valueOf(config.get("DicomAet"));
        String authorization = null;
        if (Boolean.TRUE.equals(config.get("AuthenticationEnabled")) && config.get("RegisteredUsers") instanceof Map<?, ?> users && !users.isEmpty()) {
            var first = users.entrySet().iterator().next();
            authorization = "Basic " + Base64.getEncoder().encodeToString((first.getKey() + ":" + first.getValue()).getBytes(StandardCharsets.UTF_8));
        }
        Path cfg = home.resolve("cfg.json");
        Path log = home.resolve("orthanc.log");
        Process process;
        try {
            Files.write(cfg, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
            process = new ProcessBuilder(binary.toString(), cfg.toString()).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Orthanc", e);
        }
        Orthanc orthanc = new Orthanc(process, home, log, httpPort, dicomPort, ae, authorization);
        orthanc.awaitReady();
        return orthanc;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = logTail();
                close();
                throw new IllegalStateException("Orthanc exited with " + process.exitValue() + ": " + tail);
            }
            try {
                HttpResponse<String> r = http.send(request("/system").GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while Orthanc started");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while Orthanc started");
            }
        }
        String tail = logTail();
        close();
        throw new IllegalStateException("Orthanc did not answer on port " + httpPort + " within " + START_TIMEOUT.toSeconds() + " s: " + tail);
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int dicomPort() {
        return dicomPort;
    }

    public String aeTitle() {
        return aeTitle;
    }

    /** GET {@code path} of the REST API; the body, or IllegalStateException with the status when it is not 2xx. */
    public String get(String path) {
        return call(request(path).GET().build(), path);
    }

    /** POST {@code body} to {@code path} of the REST API; the answer's body. */
    public String post(String path, String body) {
        return call(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(), path);
    }

    /** A REST answer that may be an error: HTTP status and body. */
    public record Response(int status, String body) {
        public com.fasterxml.jackson.databind.JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Orthanc answered " + status + " with a body that is not JSON: " + body, e);
            }
        }
    }

    /** {@code POST /instances}: stores one DICOM file in Orthanc; returns Orthanc's id of the instance. */
    public String upload(byte[] dicom) {
        try {
            return JSON.readTree(post("/instances", dicom)).get("ID").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code POST /modalities/{modality}/store} with the instances, synchronously: Orthanc's C-STORE to that node
     * ({@code DicomModalities} in the configuration). 200 when every instance was acknowledged with success; an HTTP
     * error with Orthanc's explanation otherwise (not thrown: what the peer answered is what a test looks at).
     */
    public Response store(String modality, List<String> instanceIds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Synchronous", true);
        body.put("Resources", instanceIds);
        try {
            HttpResponse<String> r = http.send(request("/modalities/" + modality + "/store").timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Orthanc's store to " + modality + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** POST raw bytes (a DICOM file to {@code /instances}, for one). */
    public String post(String path, byte[] body) {
        return call(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), path);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpUrl() + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) b.header("Authorization", authorization);
        return b;
    }

    private String call(HttpRequest request, String path) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) throw new IllegalStateException("Orthanc " + request.method() + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("Orthanc " + request.method() + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The last lines Orthanc logged (for a failing test's message). */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops Orthanc and deletes its storage. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: best effort
        }
    }
}
