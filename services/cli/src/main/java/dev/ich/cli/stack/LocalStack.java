package dev.ich.cli.stack;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.testkit.EmbeddedOidc;
import dev.ich.testkit.EmbeddedS3;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The one-machine deployment: S3, Kafka and the OIDC provider each in its own process, Orthanc when installed, and
 * every built service as a child process; logs under .ich/logs, found again through pid files (pid and start instant)
 * by status, down and the next up. {@link #up} starts whatever is not running and healthy, in dependency order, and
 * leaves the rest alone, so it also brings back a component that died.
 */
public final class LocalStack {
    /** The infrastructure components, in start order. */
    public static final List<String> INFRA = InfraMain.COMPONENTS;
    private static final String SETTING = "setting.";
    private final StackLayout layout;
    private final PrintStream out;
    private final Map<Path, Path> runnable = new java.util.HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private StackPorts ports;
    /** Run the components from container images (./ich up --images) rather than as processes of the checkout's jars. */
    private boolean fromImages;
    private ContainerImages images;

    public LocalStack(StackLayout layout, PrintStream out) {
        this.layout = layout;
        this.out = out;
    }

    /** This stack, starting its components from the images {@code ./ich images} built (ContainerImages). */
    public LocalStack fromImages() {
        this.fromImages = true;
        return this;
    }

    /** Every component of this checkout's stack in start order: s3, kafka, oidc, orthanc (when installed), the built services. */
    public List<String> components() {
        List<String> all = new ArrayList<>(INFRA);
        if (LocalPacs.installed()) all.add(LocalPacs.NAME);
        Service.available(layout.home()).forEach(s -> all.add(s.name()));
        return all;
    }

    /**
     * The live process of {@code component} ("kafka", "s3", "oidc", "orthanc", or a service's name), as its pid file
     * records it; empty when it is not running or its pid now belongs to another process.
     */
    public Optional<ProcessHandle> process(String component) {
        checkName(component);
        return Processes.running(layout.pidFile(component));
    }

    /**
     * Whether {@code component} runs and serves: Kafka, S3, the OIDC provider and Orthanc when their process lives and
     * their port answers; a service when its management port answers {@link Service#startedPath()} with 200 (readiness;
     * inference's liveness, as it is not ready until a model is promoted).
     */
    public boolean healthy(String component) {
        Optional<StackPorts> known = knownPorts();
        if (known.isEmpty() || process(component).isEmpty()) return false;
        return answers(component, known.get());
    }

    /** Whether any component of the stack runs. */
    public boolean running() {
        return components().stream().anyMatch(c -> process(c).isPresent());
    }

    /** Starts what is not running and waits for health; 0 on success, 1 with the reason and the log to read. */
    public int up(StackPorts ports, Duration timeout) throws IOException, InterruptedException {
        return up(ports, timeout, Map.of());
    }

    /**
     * Starts every component that is not running and healthy, in the order s3, kafka, oidc, orthanc, services, and waits
     * until each serves; leaves healthy ones alone, waits for a live but unhealthy one to recover and restarts it when it
     * does not within {@code timeout}. Idempotent: on a healthy stack it starts nothing. {@code settings} reach every
     * service as environment variables (e.g. {@code ICH_CLEANING_PIPELINE_SIZE}; one a service does not read is ignored)
     * and are recorded, so a component restarted later gets them too. 0 when all serve; 1 with the reason and the log to
     * read, after stopping what this call started.
     */
    public int up(StackPorts ports, Duration timeout, Map<String, String> settings) throws IOException, InterruptedException {
        return up(ports, timeout, settings, List.of());
    }

    /**
     * As {@link #up(StackPorts, Duration, Map)}, limited to the components {@code only} names when it names any (e.g.
     * {@code s3} alone, to bring storage back while the broker stays down: the fault-injection suite's outages in a
     * chosen order). An unknown name is refused with the list of components.
     */
    public int up(StackPorts ports, Duration timeout, Map<String, String> settings, List<String> only) throws IOException, InterruptedException {
        List<String> unknown = only.stream().filter(c -> !components().contains(c)).toList();
        if (!unknown.isEmpty()) {
            out.println("No component " + String.join(", ", unknown) + " in this stack; its components: " + String.join(", ", components()));
            return 1;
        }
        StackUser user;
        try {
            user = StackUser.forStack();
        } catch (StackUser.StackUserException e) {
            out.println("Cannot start the local stack: " + e.getMessage());
            return 1;
        }
        List<String> components = only.isEmpty() ? components() : components().stream().filter(only::contains).toList();
        Optional<StackPorts> recorded = recordedPorts();
        if (recorded.isPresent() && !recorded.get().sameAs(ports) && components.stream().anyMatch(c -> process(c).isPresent())) {
            out.println("The local stack runs with " + recorded.get() + "; asked for " + ports + ". Stop it first (./ich down) to change them.");
            return 1;
        }
        Map<String, String> allSettings = new LinkedHashMap<>(recordedSettings());
        allSettings.putAll(settings);

        String problem = prepare(user);
        if (problem != null) {
            out.println("Cannot start the local stack: " + problem);
            return 1;
        }
        if (fromImages) {
            try {
                images = ContainerImages.of(layout.home(), components);
            } catch (IllegalStateException e) {
                out.println("Cannot start the local stack from images: " + e.getMessage());
                return 1;
            }
        }
        List<String> dead = components.stream().filter(c -> process(c).isEmpty()).toList();
        List<String> busy = new ArrayList<>();
        for (String c : dead) busy.addAll(ports.busy(c));
        if (!busy.isEmpty()) {
            out.println("Cannot start the local stack: port " + String.join(", port ", busy)
                    + " is in use. Stop what holds it, or choose other ports (./ich up --help).");
            return 1;
        }
        record(ports, allSettings);
        this.ports = ports;
        if (!ports.loopbackOnly()) warnExposed(ports, components);

        Map<String, String> shared = sharedEnvironment(ports, allSettings, user);
        String classpath = infraClasspath(user);
        List<String> started = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (List<String> tier : tiers(components)) {
            String failed = bringUp(tier, ports, timeout, user, shared, classpath, started, left);
            if (failed != null) {
                out.println(failed);
                for (int i = started.size() - 1; i >= 0; i--) stop(started.get(i));
                if (!started.isEmpty()) out.println("stopped what this ./ich up had started: " + String.join(", ", started));
                return 1;
            }
        }
        writeStackEnv(ports);
        out.println();
        status(ports);
        out.println();
        if (started.isEmpty()) {
            out.println("The local stack is already running; nothing to start (./ich down stops it).");
        } else {
            out.println("started: " + String.join(", ", started) + (left.isEmpty() ? "" : "; already running: " + String.join(", ", left)));
        }
        out.println("Endpoints for scripts: " + layout.stackEnv() + " (source it: set -a; . " + layout.stackEnv() + "; set +a)");
        out.println("Stop everything with ./ich down.");
        return 0;
    }

    /**
     * Infrastructure first (started in the order s3, kafka, oidc, orthanc; none needs another), then the services, which
     * need all of it: a tier starts once the one before serves.
     */
    private static List<List<String>> tiers(List<String> components) {
        List<String> infra = new ArrayList<>();
        List<String> services = new ArrayList<>();
        for (String c : components) (INFRA.contains(c) || c.equals(LocalPacs.NAME) ? infra : services).add(c);
        return services.isEmpty() ? List.of(infra) : List.of(infra, services);
    }

    /** Brings one tier up; null when all of it serves, else what went wrong (with the log's last lines). */
    private String bringUp(List<String> tier, StackPorts ports, Duration timeout, StackUser user, Map<String, String> shared,
            String classpath, List<String> started, List<String> left) throws IOException, InterruptedException {
        Map<String, ProcessHandle> waiting = new LinkedHashMap<>();
        List<String> recovering = new ArrayList<>();
        for (String c : tier) {
            Optional<ProcessHandle> p = process(c);
            if (p.isPresent() && answers(c, ports)) {
                left.add(c);
            } else if (p.isPresent()) {
                recovering.add(c);
            } else {
                waiting.put(c, start(c, ports, user, shared, classpath));
                started.add(c);
            }
        }
        for (String c : recovering) {
            // Alive but not serving: a service waits for Kafka or S3 that were just restarted, or one is stuck.
            out.println(c + " runs (pid " + process(c).map(ProcessHandle::pid).orElse(-1L) + ") but does not answer yet; waiting up to "
                    + timeout.toSeconds() + " s");
            if (awaitServing(c, process(c), ports, timeout)) {
                left.add(c);
                continue;
            }
            out.println(c + " did not answer within " + timeout.toSeconds() + " s: restarting it");
            stop(c);
            waiting.put(c, start(c, ports, user, shared, classpath));
            started.add(c);
        }
        for (Map.Entry<String, ProcessHandle> w : waiting.entrySet()) {
            String c = w.getKey();
            if (!awaitServing(c, Optional.of(w.getValue()), ports, timeout)) {
                int lines = INFRA.contains(c) || c.equals(LocalPacs.NAME) ? 15 : 20;
                return c + " did not start within " + timeout.toSeconds() + " s" + (w.getValue().isAlive() ? "" : " (its process exited)")
                        + ". Last lines of " + layout.log(c) + ":\n" + Processes.tail(layout.log(c), lines);
            }
        }
        return null;
    }

    private ProcessHandle start(String c, StackPorts ports, StackUser user, Map<String, String> shared, String classpath)
            throws IOException {
        if (images != null && !c.equals(LocalPacs.NAME)) return startImage(c, ports, user, shared);
        if (INFRA.contains(c)) {
            Files.deleteIfExists(layout.ready(c));
            String heap = c.equals("oidc") ? "-Xmx256m" : "-Xmx512m";
            List<String> command = new ArrayList<>(List.of(Processes.javaBinary(), heap));
            if (user.dropsPrivileges()) command.add("-Duser.home=" + layout.userHome());
            command.addAll(List.of("-cp", classpath, InfraMain.class.getName(), c, layout.root().toString(),
                    Integer.toString(portOf(c, ports)), ports.listen));
            ProcessHandle p = Processes.start(command, userEnvironment(user), layout.log(c), layout.pidFile(c), user, layout.run());
            out.println("starting " + c + " on " + endpoint(c, ports) + " (pid " + p.pid() + ", log: " + layout.log(c) + ")");
            return p;
        }
        if (c.equals(LocalPacs.NAME)) {
            ProcessHandle p = new LocalPacs(layout).start(ports, user);
            out.println("starting the local PACS, Orthanc, on " + LocalPacs.url(ports) + " (DICOM port " + ports.orthancDicom + "; pid "
                    + p.pid() + ", log: " + layout.log(c) + ")");
            return p;
        }
        Service s = Service.named(c);
        List<String> command = new ArrayList<>(List.of(Processes.javaBinary(), "-Xmx1g"));
        if (user.dropsPrivileges()) command.add("-Duser.home=" + layout.userHome());
        command.addAll(List.of("-jar", runnable(s.jar(layout.home())).toString()));
        ProcessHandle p = Processes.start(command, serviceEnvironment(s, ports, shared), layout.log(c), layout.pidFile(c), user, layout.run());
        out.println("starting " + c + " on " + s.url(ports) + " (pid " + p.pid() + ", log: " + layout.log(c) + ")");
        return p;
    }

    /**
     * A component from its image: {@code podman run} in the foreground as the stack's process of it (podman itself as
     * the invoking user, which may run containers; the container as the stack's user).
     */
    private ProcessHandle startImage(String c, StackPorts ports, StackUser user, Map<String, String> shared) throws IOException {
        if (INFRA.contains(c)) Files.deleteIfExists(layout.ready(c));
        List<String> command = INFRA.contains(c)
                ? images.infra(c, layout, user, portOf(c, ports), ports.listen)
                : images.service(Service.named(c), layout, user, serviceEnvironment(Service.named(c), ports, shared), runnable(trainerJar()));
        ProcessHandle p = Processes.start(command, images.engineEnvironment(), layout.log(c), layout.pidFile(c), null, layout.run());
        out.println("starting " + c + " from " + images.tag(ContainerImages.imageOf(c)) + " on "
                + (INFRA.contains(c) ? endpoint(c, ports) : Service.named(c).url(ports)) + " (pid " + p.pid() + ", log: " + layout.log(c) + ")");
        return p;
    }

    private Map<String, String> serviceEnvironment(Service s, StackPorts ports, Map<String, String> shared) {
        Map<String, String> env = s.environment(ports, shared);
        if (s.name().equals("inference") && LocalPacs.installed()) env.putAll(LocalPacs.exportSettings(ports));
        return env;
    }

    /** Waits until {@code c} serves, its process exited, or {@code timeout} passed. */
    private boolean awaitServing(String c, Optional<ProcessHandle> process, StackPorts ports, Duration timeout)
            throws InterruptedException, IOException {
        if (process.isEmpty()) return false;
        ProcessHandle p = process.get();
        if (c.equals(LocalPacs.NAME)) return new LocalPacs(layout).awaitUp(p, ports, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) return false;
            if (INFRA.contains(c) ? readyFileOf(c, p) && answers(c, ports) : answers(c, ports)) return true;
            Thread.sleep(250); // polling a ready file or health endpoint another process serves; nothing to wait on instead
        }
        return false;
    }

    private boolean readyFileOf(String c, ProcessHandle p) {
        // in a container InfraMain writes the pid it has in its own namespace: the file's presence is the signal
        if (images != null) return Files.exists(layout.ready(c));
        try {
            return Files.exists(layout.ready(c)) && Files.readString(layout.ready(c)).trim().equals(Long.toString(p.pid()));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code c}'s endpoint answers: its port for infrastructure, its started path for a service. */
    private boolean answers(String c, StackPorts ports) {
        if (INFRA.contains(c) || c.equals(LocalPacs.NAME)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(ports.connectHost(), portOf(c, ports)), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        Service s = Service.named(c);
        return answers(s.managementUrl(ports), s.startedPath());
    }

    private static int portOf(String c, StackPorts ports) {
        return switch (c) {
            case "s3" -> ports.s3;
            case "kafka" -> ports.kafka;
            case "oidc" -> ports.oidc;
            case LocalPacs.NAME -> ports.orthancHttp;
            default -> Service.named(c).httpPort(ports);
        };
    }

    private static String endpoint(String c, StackPorts ports) {
        return switch (c) {
            case "s3" -> ports.s3Endpoint();
            case "kafka" -> ports.kafkaBootstrap();
            case "oidc" -> ports.issuerUrl();
            case LocalPacs.NAME -> LocalPacs.url(ports);
            default -> Service.named(c).url(ports);
        };
    }

    /**
     * Directories the components write to are theirs (the system user's when ./ich runs as root); pid files, logs and
     * secrets stay with whoever runs ./ich. Null when all is in place, else why the stack cannot start.
     */
    private String prepare(StackUser user) throws IOException {
        Files.createDirectories(layout.root());
        Files.createDirectories(layout.logs());
        Files.createDirectories(layout.pids());
        user.letThrough(layout.root());
        Path blocked = user.firstNotEnterable(layout.root());
        if (blocked != null) {
            return "its processes run as the user " + user.name() + " (./ich up runs as root), which cannot enter " + blocked
                    + " (on the way to the stack's state, " + layout.root() + "). Open it to other users (chmod o+x " + blocked
                    + "), set ICH_STATE_DIR to a directory it can reach (e.g. /var/lib/ich), or run ./ich up as a non-root user.";
        }
        for (Path dir : List.of(layout.data(), layout.run(), layout.userHome(), layout.userHome().resolve("tmp"))) user.own(dir);
        List<Path> jars = new ArrayList<>();
        for (Service s : Service.available(layout.home())) jars.add(s.jar(layout.home()));
        Path trainer = trainerJar();
        if (Files.exists(trainer)) jars.add(trainer);
        List<Path> unreadable = user.unreadable(jars);
        if (!unreadable.isEmpty()) {
            // A checkout the system user cannot reach (under /root, say): run copies of the built jars from the stack's lib/,
            // rather than refusing or running as root.
            Path first = user.firstBlocked(unreadable.get(0));
            out.println("the user " + user.name() + " cannot read the build" + (first == null ? "" : " (" + first + " is closed to it)")
                    + ": running copies of its jars from " + layout.lib());
            for (Path jar : unreadable) {
                boolean quarkusApp = jar.getFileName().toString().equals("quarkus-run.jar");
                Path copy = staged(quarkusApp ? jar.getParent() : jar);
                runnable.put(jar, quarkusApp ? copy.resolve("quarkus-run.jar") : copy);
            }
        }
        return null;
    }

    /** What a process runs for a built jar: the jar itself, or its copy in lib/ when the system user cannot read it. */
    private Path runnable(Path jar) {
        return runnable.getOrDefault(jar, jar);
    }

    private Path trainerJar() {
        return layout.home().resolve("services/trainer/target/ich-trainer.jar");
    }

    /**
     * The classpath the infrastructure processes run on: this launcher's. Entries the system user cannot read where they
     * are (a build's ~/.m2 under /root) are linked, or copied, into the stack's lib/ first.
     */
    private String infraClasspath(StackUser user) throws IOException {
        // absolute: the components run in the stack's run/ directory
        List<Path> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!e.isBlank() && Files.exists(Path.of(e))) entries.add(Path.of(e).toAbsolutePath().normalize());
        }
        List<Path> blocked = user.unreadable(entries);
        if (!blocked.isEmpty()) {
            Files.createDirectories(layout.lib());
            Files.setPosixFilePermissions(layout.lib(), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> readable = new ArrayList<>();
        for (Path e : entries) readable.add(blocked.contains(e) ? staged(e).toString() : e.toString());
        return String.join(java.io.File.pathSeparator, readable);
    }

    private Path staged(Path entry) throws IOException {
        // named after the entry and its build time, so a rebuilt jar is copied again rather than an old copy run
        Path built = Files.isDirectory(entry) && Files.exists(entry.resolve("quarkus-run.jar")) ? entry.resolve("quarkus-run.jar") : entry;
        String stamp = entry + "@" + Files.getLastModifiedTime(built).toMillis() + ":" + Files.size(built);
        String id = java.util.UUID.nameUUIDFromBytes(stamp.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString().substring(0, 8);
        Path target = layout.lib().resolve(id + "-" + entry.getFileName());
        if (Files.exists(target)) return target;
        Path partial = layout.lib().resolve(id + "-" + entry.getFileName() + ".partial");
        if (Files.isDirectory(entry)) {
            try (var walk = Files.walk(entry)) {
                walk.forEach(p -> {
                    try {
                        Path t = partial.resolve(entry.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(t);
                        else Files.copy(p, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(t, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        } else {
            Files.deleteIfExists(partial);
            try {
                Files.createLink(partial, entry); // same file system: no copy; the jar's own mode (rw-r--r--) applies
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(entry, partial);
            }
            if (!Files.getPosixFilePermissions(partial).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private Map<String, String> userEnvironment(StackUser user) {
        Map<String, String> env = new LinkedHashMap<>();
        if (user.dropsPrivileges()) {
            // The system user has no home: libtorch (DJL), caches and dot-files go to one the stack gives it.
            env.put("HOME", layout.userHome().toString());
            env.put("DJL_CACHE_DIR", layout.userHome().resolve(".djl.ai").toString());
        }
        // Its own temporary directory, for every JVM of the stack and the trainers they start (the variable is inherited):
        // the services' work directories default to java.io.tmpdir/ich-<service>, which another user's run (tests as root)
        // may already own in /tmp.
        env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + layout.userHome().resolve("tmp"));
        return env;
    }

    private Map<String, String> sharedEnvironment(StackPorts ports, Map<String, String> settings, StackUser user) throws IOException {
        Map<String, String> shared = new LinkedHashMap<>(userEnvironment(user));
        shared.put("KAFKA_BOOTSTRAP_SERVERS", ports.kafkaBootstrap());
        shared.put("ICH_STORAGE_ENDPOINT", ports.s3Endpoint());
        shared.put("ICH_STORAGE_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
        shared.put("ICH_STORAGE_SECRET_KEY", EmbeddedS3.SECRET_KEY);
        shared.put("ICH_STORAGE_BUCKET", ObjectKeys.DEFAULT_BUCKET);
        // Every API checks tokens from the stack's OIDC provider, as a site's services check its issuer's.
        shared.put("ICH_AUTH_ISSUER_URL", ports.issuerUrl());
        shared.put("ICH_AUTH_AUDIENCE", EmbeddedOidc.AUDIENCE);
        shared.put("ICH_INGEST_DEIDENTIFY_KEY", pseudonymKey());
        // labeling's DuckDB file lives with the stack's data, not in whatever directory ./ich ran from
        shared.put("ICH_LABELING_DATABASE", layout.data().resolve("labeling").resolve("labeling.duckdb").toString());
        shared.put("ICH_LABELING_WORK_DIRECTORY", layout.data().resolve("labeling").resolve("work").toString());
        // training runs the trainer's shaded jar as child processes (as the same user); their shard caches, checkpoints and
        // logs stay with the stack
        shared.put("ICH_TRAINING_LOCAL_TRAINER_JAR", runnable(trainerJar()).toString());
        shared.put("ICH_TRAINING_LOCAL_WORK_DIRECTORY", layout.data().resolve("training").toString());
        shared.putAll(settings);
        return shared;
    }

    private void warnExposed(StackPorts ports, List<String> components) {
        List<String> reachable = new ArrayList<>();
        for (String c : components) {
            List<String> numbers = ports.portsOf(c).keySet().stream().map(String::valueOf).toList();
            reachable.add(c + " " + String.join("/", numbers));
        }
        out.println("WARNING: --listen " + ports.listen + ": the stack is reachable from " + (ports.listensEverywhere() ? "every network"
                + " this machine is on" : "whoever reaches " + ports.listen) + ": " + String.join(", ", reachable) + ". The OIDC provider"
                + " gives any caller a token with any ich role, S3 opens to the key in stack.env and Kafka needs none: expose it on a"
                + " network you trust only. Orthanc answers every interface in any case; with --listen it also takes HTTP requests"
                + " (with its password) from other hosts.");
    }

    /** Stops services first, then Orthanc, the OIDC provider, Kafka and S3; says what it stopped. */
    public int down() throws IOException {
        List<String> names = new ArrayList<>();
        for (Service s : Service.ALL) names.add(s.name());
        names.add(LocalPacs.NAME);
        for (int i = INFRA.size() - 1; i >= 0; i--) names.add(INFRA.get(i));
        int stopped = 0;
        // Services at once (each takes seconds to drain), then the rest in order.
        List<Map.Entry<String, ProcessHandle>> services = new ArrayList<>();
        for (Service s : Service.ALL) process(s.name()).ifPresent(p -> {
            p.destroy();
            services.add(Map.entry(s.name(), p));
        });
        for (Map.Entry<String, ProcessHandle> s : services) {
            boolean clean = Processes.stop(s.getValue(), Duration.ofSeconds(30));
            out.println("stopped " + s.getKey() + " (pid " + s.getValue().pid() + (clean ? ")" : ", killed after 30 s)"));
            stopped++;
        }
        for (String name : names) {
            if (Service.ALL.stream().noneMatch(s -> s.name().equals(name)) && stop(name)) stopped++;
            Files.deleteIfExists(layout.pidFile(name));
            if (INFRA.contains(name)) Files.deleteIfExists(layout.ready(name));
        }
        Files.deleteIfExists(layout.pidFile("infra")); // the single infrastructure process of earlier versions
        if (stopped == 0) out.println("The local stack is not running.");
        return 0;
    }

    /** Stops {@code name}'s recorded process, if it is the one that was started; whether there was one. */
    private boolean stop(String name) {
        Optional<ProcessHandle> p = Processes.running(layout.pidFile(name));
        if (p.isEmpty()) return false;
        boolean clean = Processes.stop(p.get(), Duration.ofSeconds(30));
        out.println("stopped " + name + " (pid " + p.get().pid() + (clean ? ")" : ", killed after 30 s)"));
        return true;
    }

    /**
     * A table of components, their state, pid, endpoint and log; 0 when every component runs, 1 when some do and others
     * not (./ich up starts those), 3 when none does.
     */
    public int status(StackPorts requested) throws IOException {
        StackPorts ports = recordedPorts().orElse(requested);
        String fmt = "%-10s %-8s %-8s %-34s %s%n";
        out.printf(fmt, "COMPONENT", "STATE", "PID", "ENDPOINT", "LOG");
        int up = 0;
        int down = 0;
        for (String c : components()) {
            Optional<ProcessHandle> p = process(c);
            String state;
            if (p.isEmpty()) {
                state = "stopped";
            } else if (INFRA.contains(c) || c.equals(LocalPacs.NAME)) {
                state = answers(c, ports) ? "running" : "starting";
            } else {
                String management = Service.named(c).managementUrl(ports);
                state = answers(management, "/q/health/ready") ? "ready" : answers(management, "/q/health/live") ? "live" : "starting";
            }
            if (p.isPresent()) up++;
            else down++;
            out.printf(fmt, c, state, p.map(h -> Long.toString(h.pid())).orElse("-"), endpoint(c, ports), layout.log(c));
        }
        if (up == 0) {
            out.println("The local stack is not running; start it with ./ich up.");
            return 3;
        }
        if (down > 0) out.println("Some components are stopped; ./ich up starts them and leaves the others alone.");
        return down == 0 ? 0 : 1;
    }

    private boolean answers(String baseUrl, String path) {
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

    private void checkName(String component) {
        if (!INFRA.contains(component) && !component.equals(LocalPacs.NAME)) Service.named(component);
    }

    /** The ports of the last up in this object, else those recorded in the stack's state. */
    private Optional<StackPorts> knownPorts() {
        return ports != null ? Optional.of(ports) : recordedPorts();
    }

    private Optional<StackPorts> recordedPorts() {
        Properties p = recorded();
        return p.containsKey("kafka") ? Optional.of(StackPorts.fromProperties(p)) : Optional.empty();
    }

    private Map<String, String> recordedSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        recorded().forEach((k, v) -> {
            if (k.toString().startsWith(SETTING)) settings.put(k.toString().substring(SETTING.length()), v.toString());
        });
        return settings;
    }

    private Properties recorded() {
        Properties p = new Properties();
        if (!Files.exists(layout.stackProperties())) return p;
        try (var in = Files.newBufferedReader(layout.stackProperties())) {
            p.load(in);
        } catch (IOException e) {
            return new Properties();
        }
        return p;
    }

    /** Settings may carry anything a service reads, so the file is owner-only. */
    private void record(StackPorts ports, Map<String, String> settings) throws IOException {
        Properties p = ports.toProperties();
        settings.forEach((k, v) -> p.setProperty(SETTING + k, v));
        Path written = layout.stackProperties().resolveSibling("stack.properties.tmp");
        Files.deleteIfExists(written);
        Files.createFile(written, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (var w = Files.newBufferedWriter(written)) {
            p.store(w, "written by ./ich up: what a later up starts a stopped component with");
        }
        Files.move(written, layout.stackProperties(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private void writeStackEnv(StackPorts ports) throws IOException {
        StringBuilder env = new StringBuilder("# written by ./ich up; source it: set -a; . .ich/stack.env; set +a\n");
        env.append("KAFKA_BOOTSTRAP=").append(ports.kafkaBootstrap()).append('\n');
        env.append("S3_ENDPOINT=").append(ports.s3Endpoint()).append('\n');
        env.append("S3_ACCESS_KEY=").append(EmbeddedS3.ACCESS_KEY).append('\n');
        env.append("S3_SECRET_KEY=").append(EmbeddedS3.SECRET_KEY).append('\n');
        env.append("S3_BUCKET=").append(ObjectKeys.DEFAULT_BUCKET).append('\n');
        env.append("ICH_AUTH_ISSUER_URL=").append(ports.issuerUrl()).append('\n');
        List<Service> services = Service.available(layout.home());
        for (Service s : services) {
            env.append(s.name().toUpperCase()).append("_URL=").append(s.url(ports)).append('\n');
            env.append(s.name().toUpperCase()).append("_MANAGEMENT_URL=").append(s.managementUrl(ports)).append('\n');
        }
        if (services.stream().anyMatch(s -> s.name().equals("ingest"))) {
            env.append("INGEST_DIMSE=").append(ports.urlHost()).append(':').append(ports.dimse).append('\n');
        }
        if (process(LocalPacs.NAME).isPresent()) {
            // Its REST API needs the user `ich` and the password in this file.
            env.append("ORTHANC_URL=").append(LocalPacs.url(ports)).append('\n');
            env.append("ORTHANC_DICOM=").append(ports.urlHost()).append(':').append(ports.orthancDicom).append('\n');
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
