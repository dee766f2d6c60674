package dev.ich.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Orthanc, the open-source PACS (Debian package {@code orthanc}), as an independent DICOM peer for tests: one
 * process in the foreground with its own configuration, storage folder and free HTTP and DICOM ports, driven over
 * its REST API, killed by {@link #close()}. {@link #start} skips the calling test (a JUnit assumption) only when the
 * {@code Orthanc} binary is absent; {@code ./ich test} installs it.
 */
public final class Orthanc implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration CALL = Duration.ofSeconds(120);
    private static final int LOG_TAIL_CHARS = 4000;

    /** A remote DICOM node Orthanc may send to ({@code DicomModalities}: name, AE title, host, port). */
    public record Modality(String name, String aeTitle, String host, int port) {
    }

    /** A REST answer: HTTP status and body. */
    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Orthanc answered " + status + " with a body that is not JSON: " + body, e);
            }
        }
    }

    private final Process process;
    private final Path home;
    private final Path log;
    private final URI http;
    private final int dicomPort;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Orthanc(Process process, Path home, Path log, URI http, int dicomPort) {
        this.process = process;
        this.home = home;
        this.log = log;
        this.http = http;
        this.dicomPort = dicomPort;
    }

    /** Whether the {@code Orthanc} executable is on the PATH (or in /usr/sbin, where Debian puts it). */
    public static boolean available() {
        return executable().isPresent();
    }

    /**
     * Starts Orthanc under {@code aeTitle}, knowing {@code modalities}, and waits until its REST API answers. Skips
     * the test when Orthanc is not installed.
     */
    public static Orthanc start(String aeTitle, List<Modality> modalities) {
        Optional<Path> binary = executable();
        Assumptions.assumeTrue(binary.isPresent(),
                "Orthanc is not installed (apt-get install orthanc; ./ich test installs it): test skipped");
        try {
            Path home = Files.createTempDirectory("ich-test-orthanc");
            int httpPort = freePort();
            int dicomPort = freePort();
            ObjectNode config = JSON.createObjectNode();
            config.put("Name", "ich-test-" + aeTitle);
            config.put("StorageDirectory", home.resolve("storage").toString());
            config.put("IndexDirectory", home.resolve("index").toString());
            config.put("HttpPort", httpPort);
            config.put("DicomPort", dicomPort);
            config.put("DicomAet", aeTitle);
            config.put("RemoteAccessAllowed", false);
            config.put("AuthenticationEnabled", false);
            config.put("DicomScuTimeout", 30);
            config.putArray("Plugins");
            ObjectNode nodes = config.putObject("DicomModalities");
            for (Modality m : modalities) {
                nodes.putArray(m.name()).add(m.aeTitle()).add(m.host()).add(m.port());
            }
            Path file = home.resolve("orthanc.json");
            Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
            Path log = home.resolve("orthanc.log");
            Process process = new ProcessBuilder(binary.get().toString(), file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Orthanc orthanc = new Orthanc(process, home, log, URI.create("http://127.0.0.1:" + httpPort), dicomPort);
            orthanc.awaitReady();
            return orthanc;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Orthanc: " + e.getMessage(), e);
        }
    }

    public URI http() {
        return http;
    }

    public int dicomPort() {
        return dicomPort;
    }

    /** {@code POST /instances}: stores one DICOM file in Orthanc; returns Orthanc's id of the instance. */
    public String upload(byte[] dicom) {
        Response r = send(HttpRequest.newBuilder(http.resolve("/instances")).header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofByteArray(dicom)));
        if (r.status() != 200) throw new IllegalStateException("Orthanc refused an upload: " + r);
        return r.json().get("ID").asText();
    }

    /**
     * {@code POST /modalities/{modality}/store} with the instances, synchronously: Orthanc's C-STORE to that node.
     * 200 when every instance was acknowledged with success; an HTTP error (with Orthanc's explanation) otherwise.
     */
    public Response store(String modality, List<String> instanceIds) {
        ObjectNode body = JSON.createObjectNode();
        body.put("Synchronous", true);
        instanceIds.forEach(body.putArray("Resources")::add);
        return post("/modalities/" + modality + "/store", body.toString());
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(http.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(http.resolve(path)).GET());
    }

    /** The end of Orthanc's own log, for assertion messages. */
    public String logTail() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.substring(Math.max(0, text.length() - LOG_TAIL_CHARS));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.timeout(CALL).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Orthanc REST call failed: " + e.getMessage() + "\n" + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("Orthanc exited at startup:\n" + logTail());
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(http.resolve("/system"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        close();
        throw new IllegalStateException("Orthanc did not answer on " + http + " within " + STARTUP + ":\n" + logTail());
    }

    private static Optional<Path> executable() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isBlank()) dirs.add(Path.of(dir));
            }
        }
        dirs.add(Path.of("/usr/sbin"));
        dirs.add(Path.of("/usr/bin"));
        return dirs.stream().map(d -> d.resolve("Orthanc")).filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
