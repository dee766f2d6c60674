package dev.ich.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A real Orthanc (Debian's orthanc and orthanc-dicomweb, installed by ./ich test) in the foreground of its own
 * process, with its own free ports and storage folder: the PACS our result objects must be accepted by. Core's
 * tests cannot use testkit (testkit depends on core), hence this small copy.
 */
public final class OrthancPeer implements AutoCloseable {
    public static final String AE_TITLE = "ORTHANC";
    private static final Path BINARY = Path.of("/usr/sbin/Orthanc");
    private static final List<Path> DICOMWEB_PLUGINS = List.of(Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so"),
            Path.of("/usr/lib/orthanc/libOrthancDicomWeb.so"));
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final int dicomPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OrthancPeer(Process process, Path log, int httpPort, int dicomPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.dicomPort = dicomPort;
    }

    /** Why Orthanc cannot run here, or empty when it can (for a JUnit assumption). */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(BINARY)) return Optional.of("Orthanc is not installed (./ich test installs Debian's orthanc)");
        if (plugin().isEmpty()) return Optional.of("Orthanc's DICOMweb plugin is not installed (./ich test installs orthanc-dicomweb)");
        return Optional.empty();
    }

    /** Starts Orthanc with storage under {@code dir} and waits until its REST API answers. */
    public static OrthancPeer start(Path dir) throws IOException, InterruptedException {
        int httpPort = freePort();
        int dicomPort = freePort();
        Path config = dir.resolve("orthanc.json");
        Files.writeString(config, """
                {
                  "Name": "ich-test",
                  "StorageDirectory": "%s",
                  "IndexDirectory": "%s",
                  "HttpPort": %d,
                  "DicomPort": %d,
                  "DicomAet": "%s",
                  "DicomCheckCalledAet": true,
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": false,
                  "SaveJobs": false,
                  "KeepAlive": false,
                  "Plugins": ["%s"],
                  "DicomWeb": {"Enable": true, "Root": "/dicom-web/"}
                }
                """.formatted(dir.resolve("storage"), dir.resolve("index"), httpPort, dicomPort, AE_TITLE, plugin().orElseThrow()));
        Path log = dir.resolve("orthanc.log");
        Process p = new ProcessBuilder(BINARY.toString(), config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        OrthancPeer orthanc = new OrthancPeer(p, log, httpPort, dicomPort);
        orthanc.awaitReady();
        return orthanc;
    }

    public int dicomPort() {
        return dicomPort;
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
                .header("Accept", "application/dicom+json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Orthanc's own log, for a failing assertion's message. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    private void awaitReady() throws InterruptedException, IOException {
        Instant deadline = Instant.now().plus(START_LIMIT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IllegalStateException("Orthanc exited " + process.exitValue() + " on start:\n" + log());
            try {
                if (get("/system").statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet: Orthanc opens its database and loads the plugin first
            }
            Thread.sleep(100); // polling a process we do not control; core's tests have no Awaitility
        }
        close();
        throw new IllegalStateException("Orthanc did not answer on port " + httpPort + " within " + START_LIMIT + ":\n" + log());
    }

    private static Optional<Path> plugin() {
        return DICOMWEB_PLUGINS.stream().filter(Files::isReadable).findFirst();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
