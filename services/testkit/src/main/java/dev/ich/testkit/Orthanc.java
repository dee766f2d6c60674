package dev.ich.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;

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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Orthanc (Debian's {@code orthanc}, with its DICOMweb plugin from {@code orthanc-dicomweb}) as an independent
 * DICOM and DICOMweb peer: run in the foreground on free ports with its own storage folder, driven through its REST
 * API, removed on {@link #close}. {@link #available()} says whether the binary is installed, so a test can skip with
 * a reason instead of failing where it is not.
 */
public final class Orthanc implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/Orthanc"), Path.of("/usr/bin/Orthanc"));
    private static final List<Path> DICOMWEB_PLUGIN = List.of(Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so"),
            Path.of("/usr/lib/orthanc/libOrthancDicomWeb.so.1.7"));
    private static final String AE_TITLE = "ORTHANC";

    private final Process process;
    private final Path folder;
    private final int httpPort;
    private final int dicomPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Orthanc(Process process, Path folder, int httpPort, int dicomPort) {
        this.process = process;
        this.folder = folder;
        this.httpPort = httpPort;
        this.dicomPort = dicomPort;
    }

    /** The Orthanc binary, when installed. */
    public static Optional<Path> binary() {
        return BINARIES.stream().filter(Files::isExecutable).findFirst();
    }

    public static boolean available() {
        return binary().isPresent();
    }

    /**
     * Starts Orthanc with the DICOMweb plugin (when installed) and waits until its REST API answers. {@code extraConfig}
     * is merged over the defaults (top-level keys replace), e.g. {@code "DicomWeb": {"Servers": {...}}} or
     * {@code "DicomModalities"}.
     */
    public static Orthanc start(Map<String, Object> extraConfig) {
        Path binary = binary().orElseThrow(() -> new IllegalStateException("Orthanc is not installed (apt-get install orthanc"
                + " orthanc-dicomweb; ./ich test does)"));
        try {
            Path folder = Files.createTempDirectory("ich-orthanc");
            int http = freePort();
            int dicom = freePort();
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("Name", "ich-test-orthanc");
            config.put("StorageDirectory", folder.resolve("storage").toString());
            config.put("IndexDirectory", folder.resolve("index").toString());
            config.put("HttpPort", http);
            config.put("DicomPort", dicom);
            config.put("DicomAet", AE_TITLE);
            config.put("RemoteAccessAllowed", false);
            config.put("AuthenticationEnabled", false);
            config.put("HttpTimeout", 60);
            DICOMWEB_PLUGIN.stream().filter(Files::exists).findFirst()
                    .ifPresent(plugin -> config.put("Plugins", List.of(plugin.toString())));
            config.putAll(extraConfig);
            Path file = folder.resolve("orthanc.json");
            JSON.writeValue(file.toFile(), config);
            Process p = new ProcessBuilder(binary.toString(), file.toString()).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("orthanc.log").toFile()).start();
            Orthanc orthanc = new Orthanc(p, folder, http, dicom);
            orthanc.awaitUp();
            return orthanc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI httpUrl() {
        return URI.create("http://127.0.0.1:" + httpPort + "/");
    }

    public int dicomPort() {
        return dicomPort;
    }

    public String aeTitle() {
        return AE_TITLE;
    }

    /** The body of a GET on its REST API; anything but 2xx throws with the status, body and log tail. */
    public String get(String path) {
        return send(HttpRequest.newBuilder(httpUrl().resolve(strip(path))).GET());
    }

    /** The body of a POST of {@code jsonBody} on its REST API; anything but 2xx throws. */
    public String post(String path, String jsonBody) {
        return send(HttpRequest.newBuilder(httpUrl().resolve(strip(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    /** What Orthanc logged so far, for failure messages. */
    public String log() {
        try {
            String all = Files.readString(folder.resolve("orthanc.log"));
            return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }

    private String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("Orthanc answered " + r.statusCode() + ": " + r.body() + "\n--- Orthanc log ---\n" + log());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("Orthanc did not answer: " + e.getMessage() + "\n--- Orthanc log ---\n" + log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitUp() {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                close();
                throw new IllegalStateException("Orthanc exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(httpUrl().resolve("system")).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        String log = log();
        close();
        throw new IllegalStateException("Orthanc did not answer on port " + httpPort + " within 60 s:\n" + log);
    }

    private static String strip(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
