package dev.ich.cli.stack;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.testkit.EmbeddedOidc;
import dev.ich.testkit.EmbeddedS3;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The one-machine deployment: an infrastructure process (Kafka, S3, OIDC) and every built service as a
 * child process, logs under .ich/logs, found again through pid files by status and down.
 */
public final class LocalStack {
    static final String INFRA = "infra";
    private final StackLayout layout;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public LocalStack(StackLayout layout, PrintStream out) {
        this.layout = layout;
        this.out = out;
    }

    public boolean running() {
        return Processes.running(layout.pidFile(INFRA)).isPresent();
    }

    /** Starts everything and waits for health; 0 on success, 1 with the reason and the log to read. */
    public int up(StackPorts ports, Duration timeout) throws IOException, InterruptedException {
        return up(ports, timeout, Map.of());
    }

    /**
     * As {@link #up(StackPorts, Duration)}, with settings every service receives as environment variables (e.g.
     * {@code ICH_CLEANING_PIPELINE_SIZE}); a setting a service does not read is ignored by it.
     */
    public int up(StackPorts ports, Duration timeout, Map<String, String> settings) throws IOException, InterruptedException {
        if (running()) {
            out.println("The local stack is already running (./ich status shows it, ./ich down stops it).");
            return status(ports);
        }
        List<Service> services = Service.available(layout.home());
        List<String> busy = ports.busy(services);
        if (!busy.isEmpty()) {
            out.println("Cannot start the local stack: port " + String.join(", port ", busy)
                    + " is in use. Stop what holds it, or choose other ports (./ich up --help).");
            return 1;
        }
        Files.createDirectories(layout.logs());
        Files.deleteIfExists(layout.infraReady());
        List<String> infraCommand = List.of(Processes.javaBinary(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                InfraMain.class.getName(), layout.home().toString(), Integer.toString(ports.kafka), Integer.toString(ports.s3),
                layout.root().toString(), Integer.toString(ports.oidc));
        ProcessHandle infra = Processes.start(infraCommand, Map.of(), layout.log(INFRA), layout.pidFile(INFRA));
        out.println("starting Kafka, S3 and the OIDC provider (log: " + layout.log(INFRA) + ")");
        if (!awaitInfra(infra, timeout)) {
            out.println("Kafka/S3/OIDC did not start within " + timeout.toSeconds() + " s. Last lines of " + layout.log(INFRA) + ":");
            out.println(Processes.tail(layout.log(INFRA), 15));
            down();
            return 1;
        }
        Properties ready = new Properties();
        try (var in = Files.newBufferedReader(layout.infraReady())) {
            ready.load(in);
        }
        Map<String, String> shared = new LinkedHashMap<>();
        shared.put("KAFKA_BOOTSTRAP_SERVERS", ready.getProperty("KAFKA_BOOTSTRAP"));
        shared.put("ICH_STORAGE_ENDPOINT", ready.getProperty("S3_ENDPOINT"));
        shared.put("ICH_STORAGE_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
        shared.put("ICH_STORAGE_SECRET_KEY", EmbeddedS3.SECRET_KEY);
        shared.put("ICH_STORAGE_BUCKET", ObjectKeys.DEFAULT_BUCKET);
        // Every API checks tokens from the infra process's OIDC provider, as a site's services check its issuer's.
        shared.put("ICH_AUTH_ISSUER_URL", ready.getProperty("OIDC_ISSUER"));
        shared.put("ICH_AUTH_AUDIENCE", EmbeddedOidc.AUDIENCE);
        shared.put("ICH_INGEST_DEIDENTIFY_KEY", pseudonymKey());
        // labeling's DuckDB file lives with the stack's data, not in whatever directory ./ich ran from
        shared.put("ICH_LABELING_DATABASE", layout.data().resolve("labeling").resolve("labeling.duckdb").toString());
        shared.put("ICH_LABELING_WORK_DIRECTORY", layout.data().resolve("labeling").resolve("work").toString());
        // training runs the trainer's shaded jar as child processes; their shard caches, checkpoints and logs stay with the stack
        shared.put("ICH_TRAINING_LOCAL_TRAINER_JAR", layout.home().resolve("services/trainer/target/ich-trainer.jar").toString());
        shared.put("ICH_TRAINING_LOCAL_WORK_DIRECTORY", layout.data().resolve("training").toString());
        shared.putAll(settings);

        LocalPacs pacs = new LocalPacs(layout);
        Map<String, String> inferenceExtra = new LinkedHashMap<>();
        if (LocalPacs.installed()) {
            ProcessHandle orthanc = pacs.start(ports);
            out.println("starting the local PACS, Orthanc, on " + LocalPacs.url(ports) + " (DICOM port " + ports.orthancDicom + "; log: "
                    + layout.log(LocalPacs.NAME) + ")");
            if (!pacs.awaitUp(orthanc, ports, timeout)) {
                out.println("Orthanc did not start within " + timeout.toSeconds() + " s. Last lines of " + layout.log(LocalPacs.NAME) + ":");
                out.println(Processes.tail(layout.log(LocalPacs.NAME), 15));
                down();
                return 1;
            }
            inferenceExtra.putAll(LocalPacs.exportSettings(ports));
        } else {
            out.println("Orthanc is not installed (Debian: orthanc, orthanc-dicomweb): triage results stay in the bucket under results/");
        }

        for (Service s : services) {
            List<String> command = List.of(Processes.javaBinary(), "-Xmx1g", "-jar", s.jar(layout.home()).toString());
            Map<String, String> env = s.environment(ports, shared);
            if (s.name().equals("inference")) env.putAll(inferenceExtra);
            Processes.start(command, env, layout.log(s.name()), layout.pidFile(s.name()));
            out.println("starting " + s.name() + " on " + s.url(ports) + " (log: " + layout.log(s.name()) + ")");
        }
        for (Service s : services) {
            if (!awaitHealthy(s, ports, timeout)) {
                out.println(s.name() + " did not start at " + s.managementUrl(ports) + s.startedPath() + " within "
                        + timeout.toSeconds() + " s. Last lines of " + layout.log(s.name()) + ":");
                out.println(Processes.tail(layout.log(s.name()), 20));
                down();
                return 1;
            }
        }
        writeStackEnv(ports, services, ready);
        out.println();
        status(ports);
        out.println();
        out.println("Endpoints for scripts: " + layout.stackEnv() + " (source it: set -a; . " + layout.stackEnv() + "; set +a)");
        out.println("Stop everything with ./ich down.");
        return 0;
    }

    /** Stops services first, then Kafka and S3; says what it stopped. */
    public int down() throws IOException {
        List<String> names = new ArrayList<>();
        for (Service s : Service.ALL) names.add(s.name());
        names.add(LocalPacs.NAME);
        names.add(INFRA);
        int stopped = 0;
        for (String name : names) {
            Optional<ProcessHandle> p = Processes.running(layout.pidFile(name));
            if (p.isPresent()) {
                boolean clean = Processes.stop(p.get(), Duration.ofSeconds(30));
                out.println("stopped " + name + " (pid " + p.get().pid() + (clean ? ")" : ", killed after 30 s)"));
                stopped++;
            }
            Files.deleteIfExists(layout.pidFile(name));
        }
        Files.deleteIfExists(layout.infraReady());
        if (stopped == 0) out.println("The local stack is not running.");
        return 0;
    }

    /** A table of components, endpoints and health; 0 when the stack runs, 3 when it does not. */
    public int status(StackPorts ports) throws IOException {
        Map<String, String> env = readStackEnv();
        boolean infraUp = running();
        String fmt = "%-10s %-8s %-34s %s%n";
        out.printf(fmt, "COMPONENT", "STATE", "ENDPOINT", "LOG");
        out.printf(fmt, "kafka", infraUp ? "running" : "stopped", env.getOrDefault("KAFKA_BOOTSTRAP", "-"), layout.log(INFRA));
        out.printf(fmt, "s3", infraUp ? "running" : "stopped", env.getOrDefault("S3_ENDPOINT", "-"), layout.log(INFRA));
        out.printf(fmt, "oidc", infraUp ? "running" : "stopped", env.getOrDefault("ICH_AUTH_ISSUER_URL", "-"), layout.log(INFRA));
        if (env.containsKey("ORTHANC_URL") || Processes.running(layout.pidFile(LocalPacs.NAME)).isPresent()) {
            boolean up = Processes.running(layout.pidFile(LocalPacs.NAME)).isPresent();
            out.printf(fmt, "orthanc", up ? "running" : "stopped", env.getOrDefault("ORTHANC_URL", "-"), layout.log(LocalPacs.NAME));
        }
        for (Service s : Service.ALL) {
            Optional<ProcessHandle> p = Processes.running(layout.pidFile(s.name()));
            String url = env.get(s.name().toUpperCase() + "_URL");
            String management = env.get(s.name().toUpperCase() + "_MANAGEMENT_URL");
            if (p.isEmpty() && url == null) continue;
            String state = p.isEmpty() ? "stopped" : management != null && healthy(management, "/q/health/ready") ? "ready"
                    : management != null && healthy(management, "/q/health/live") ? "live" : "starting";
            out.printf(fmt, s.name(), state, url == null ? "-" : url, layout.log(s.name()));
        }
        if (!infraUp) out.println("The local stack is not running; start it with ./ich up.");
        return infraUp ? 0 : 3;
    }

    private boolean awaitInfra(ProcessHandle infra, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(layout.infraReady())) return true;
            if (!infra.isAlive()) return false;
            Thread.sleep(200); // polling a file another process writes; nothing to wait on instead
        }
        return false;
    }

    private boolean awaitHealthy(Service s, StackPorts ports, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (healthy(s.managementUrl(ports), s.startedPath())) return true;
            if (Processes.running(layout.pidFile(s.name())).isEmpty()) return false;
            Thread.sleep(300); // polling a service's health endpoint until it answers
        }
        return false;
    }

    private boolean healthy(String baseUrl, String path) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void writeStackEnv(StackPorts ports, List<Service> services, Properties ready) throws IOException {
        StringBuilder env = new StringBuilder("# written by ./ich up; source it: set -a; . .ich/stack.env; set +a\n");
        env.append("KAFKA_BOOTSTRAP=").append(ready.getProperty("KAFKA_BOOTSTRAP")).append('\n');
        env.append("S3_ENDPOINT=").append(ready.getProperty("S3_ENDPOINT")).append('\n');
        env.append("S3_ACCESS_KEY=").append(EmbeddedS3.ACCESS_KEY).append('\n');
        env.append("S3_SECRET_KEY=").append(EmbeddedS3.SECRET_KEY).append('\n');
        env.append("S3_BUCKET=").append(ObjectKeys.DEFAULT_BUCKET).append('\n');
        env.append("ICH_AUTH_ISSUER_URL=").append(ready.getProperty("OIDC_ISSUER")).append('\n');
        for (Service s : services) {
            env.append(s.name().toUpperCase()).append("_URL=").append(s.url(ports)).append('\n');
            env.append(s.name().toUpperCase()).append("_MANAGEMENT_URL=").append(s.managementUrl(ports)).append('\n');
        }
        if (services.stream().anyMatch(s -> s.name().equals("ingest"))) {
            env.append("INGEST_DIMSE=127.0.0.1:").append(ports.dimse).append('\n');
        }
        if (Processes.running(layout.pidFile(LocalPacs.NAME)).isPresent()) {
            // Its REST API needs the user `ich` and the password in this file (loopback only).
            env.append("ORTHANC_URL=").append(LocalPacs.url(ports)).append('\n');
            env.append("ORTHANC_DICOM=127.0.0.1:").append(ports.orthancDicom).append('\n');
            env.append("ORTHANC_USER=").append(LocalPacs.USER).append('\n');
            env.append("ORTHANC_PASSWORD_FILE=").append(new LocalPacs(layout).passwordFile()).append('\n');
        }
        Files.writeString(layout.stackEnv(), env);
    }

    /** The stack's pseudonym key, made on first use from 32 random bytes and kept (owner-only) with its state. */
    private String pseudonymKey() throws IOException {
        return StackSecrets.readOrCreate(layout.pseudonymKey(), 32);
    }

    public Map<String, String> readStackEnv() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        if (!Files.exists(layout.stackEnv()) || !running()) return env;
        for (String line : Files.readAllLines(layout.stackEnv())) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) env.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return env;
    }
}
