package dev.ich.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.event.Events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack's PACS: Orthanc (Debian {@code orthanc}, with {@code orthanc-dicomweb} when installed), started by
 * {@code ./ich up} when it is installed, so a triaged study's SR and heatmaps land where a radiologist would look
 * (docs/dicom.md, "Export to PACS"). Inference exports to it over C-STORE; it can send studies to ich's DICOM door
 * ({@code /modalities/ich/store}). Its REST API and web viewer answer loopback only and need the user {@code ich}
 * with a password made once and kept owner-only in the stack's state ({@code secrets/orthanc-password}); its DICOM port
 * accepts ich's own AE title only.
 */
public final class LocalPacs {
    public static final String NAME = "orthanc";
    public static final String AE_TITLE = "ORTHANC";
    public static final String USER = "ich";
    private static final String BINARY = "Orthanc";

    private final StackLayout layout;

    public LocalPacs(StackLayout layout) {
        this.layout = layout;
    }

    /** Orthanc on the PATH: the stack starts it; without it, results stay in the bucket. */
    public static boolean installed() {
        return executable().isPresent();
    }

    private static Optional<Path> executable() {
        // Debian installs it in /usr/sbin, which is not on every user's PATH.
        String path = System.getenv().getOrDefault("PATH", "/usr/bin") + java.io.File.pathSeparator + "/usr/sbin";
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, BINARY);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The DICOMweb plugin's library, when Debian's orthanc-dicomweb is installed. */
    static Optional<Path> dicomWebPlugin() {
        for (String dir : List.of("/usr/share/orthanc/plugins", "/usr/lib/orthanc/plugins")) {
            Path p = Path.of(dir, "libOrthancDicomWeb.so");
            if (Files.exists(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    public Path configFile() {
        return layout.root().resolve("orthanc").resolve("orthanc.json");
    }

    public Path passwordFile() {
        return layout.root().resolve("secrets").resolve("orthanc-password");
    }

    /** Writes its configuration and starts it as {@code user}; the caller waits with {@link #awaitUp}. */
    public ProcessHandle start(StackPorts ports, StackUser user) throws IOException {
        Files.createDirectories(configFile().getParent());
        user.own(configFile().getParent().resolve("storage"));
        Files.write(configFile(), Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config(ports)));
        return Processes.start(List.of(executable().orElseThrow().toString(), configFile().toString()), Map.of(), layout.log(NAME),
                layout.pidFile(NAME), user, layout.run());
    }

    /** Its configuration for the stack's ports and address. */
    JsonNode config(StackPorts ports) throws IOException {
        Path dir = configFile().getParent();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Name", "ich local PACS");
        config.put("StorageDirectory", dir.resolve("storage").toString());
        config.put("IndexDirectory", dir.resolve("storage").toString());
        config.put("HttpPort", ports.orthancHttp);
        config.put("DicomPort", ports.orthancDicom);
        config.put("DicomAet", AE_TITLE);
        // Orthanc 1.10 cannot bind one address: its ports accept connections on every interface. So it refuses, unless
        // --listen exposed the stack on purpose, HTTP requests from other hosts and DICOM from anyone but ich's own AE
        // on the stack's address (docs/local-stack.md, "Addresses").
        config.put("RemoteAccessAllowed", !ports.loopbackOnly());
        config.put("AuthenticationEnabled", true);
        config.put("RegisteredUsers", Map.of(USER, password()));
        // ich's DICOM door, so Orthanc can send studies to it (ingest admits the calling AE title ORTHANC in the stack);
        // inference exports as the same AE, ICH, from the same host.
        config.put("DicomModalities", Map.of("ich", List.of("ICH", ports.connectHost(), ports.dimse)));
        config.put("DicomAlwaysAllowEcho", false);
        config.put("DicomAlwaysAllowStore", false);
        config.put("DicomCheckModalityHost", ports.loopbackOnly());
        config.put("DicomCheckCalledAet", true);
        config.put("StableAge", 5);
        // Orthanc closes an idle kept-alive connection after a second, while the JDK's client reuses it for minutes: a
        // POST on such a connection fails. A connection per call is cheap on loopback.
        config.put("KeepAlive", false);
        dicomWebPlugin().ifPresent(p -> config.put("Plugins", List.of(p.toString())));
        return Events.JSON.valueToTree(config);
    }

    /** Waits until its REST API answers, or the process died, or {@code timeout} passed. */
    public boolean awaitUp(ProcessHandle process, StackPorts ports, Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpClient http = HttpClient.newHttpClient();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) return false;
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url(ports) + "/system")).header("Authorization",
                        authorization()).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return true;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(300); // polling Orthanc's REST API until it answers
        }
        return false;
    }

    public static String url(StackPorts ports) {
        return "http://" + ports.urlHost() + ":" + ports.orthancHttp;
    }

    /** HTTP Basic credentials of the stack's Orthanc user. */
    public String authorization() throws IOException {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + password()).getBytes(StandardCharsets.UTF_8));
    }

    /** The inference settings that export every result object to this PACS over C-STORE. */
    public static Map<String, String> exportSettings(StackPorts ports) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ICH_INFERENCE_EXPORT_DESTINATIONS_ORTHANC_KIND", "dimse");
        env.put("ICH_INFERENCE_EXPORT_DESTINATIONS_ORTHANC_HOST", ports.connectHost());
        env.put("ICH_INFERENCE_EXPORT_DESTINATIONS_ORTHANC_PORT", Integer.toString(ports.orthancDicom));
        env.put("ICH_INFERENCE_EXPORT_DESTINATIONS_ORTHANC_CALLED_AE_TITLE", AE_TITLE);
        env.put("ICH_INFERENCE_EXPORT_DESTINATIONS_ORTHANC_CALLING_AE_TITLE", "ICH");
        return env;
    }

    private String password() throws IOException {
        return StackSecrets.readOrCreate(passwordFile(), 18);
    }
}
