package dev.ich.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A local stack of the end-to-end tests' own: free ports, its state in a temporary directory (so a developer's running
 * stack is left alone), and the packaged CLI run as ./ich runs it, one child process per command.
 */
final class LocalStackRun {
    static final Path HOME = Path.of(System.getProperty("ich.home", "../..")).toAbsolutePath().normalize();
    private static final Pattern PID = Pattern.compile("\\d+");

    private final Path state;
    private final Map<String, String> env;

    LocalStackRun(Path state) throws IOException {
        this.state = state;
        // Run as root (CI), the stack's processes run as the user ich, which must be able to enter its state directory;
        // JUnit makes temporary directories owner-only.
        Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        Map<String, String> e = new LinkedHashMap<>();
        e.put("ICH_STATE_DIR", state.toString());
        e.put("ICH_KAFKA_PORT", free());
        e.put("ICH_S3_PORT", free());
        e.put("ICH_OIDC_PORT", free());
        e.put("ICH_HTTP_BASE_PORT", freeRange());
        e.put("ICH_DIMSE_PORT", free());
        e.put("ICH_ORTHANC_HTTP_PORT", free());
        e.put("ICH_ORTHANC_DICOM_PORT", free());
        this.env = Map.copyOf(e);
    }

    Path state() {
        return state;
    }

    /** Runs {@code ./ich args}; its output goes to {@code output}; its exit status is returned. */
    int ich(Path output, int minutes, String... args) throws IOException, InterruptedException {
        Process p = start(output, args);
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            throw new AssertionError("./ich " + String.join(" ", args) + " did not end within " + minutes + " min; output:\n"
                    + Files.readString(output));
        }
        return p.exitValue();
    }

    /** Starts {@code ./ich args} without waiting: the packaged jar and its lib/, PixelMed from Debian. */
    Process start(Path output, String... args) throws IOException {
        Path cli = HOME.resolve("services/cli/target");
        String cp = String.join(":", cli.resolve("ich-cli.jar").toString(), cli.resolve("lib/*").toString(),
                "/usr/share/java/pixelmed.jar", "/usr/share/java/pixelmed_imageio.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dich.home=" + HOME, "-cp", cp, "dev.ich.cli.IchCommand"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs an ./ich command that must succeed within two minutes and returns what it printed. */
    String run(String... args) {
        Path output = state.resolve("cli-" + String.join("-", args).replaceAll("[^A-Za-z0-9-]", "_") + ".txt");
        try {
            int status = ich(output, 2, args);
            String printed = Files.readString(output);
            assertThat(status).as("./ich %s printed:%n%s", String.join(" ", args), printed).isZero();
            return printed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A bearer token of the stack's OIDC provider for one of ich's roles. */
    String token(String role) {
        return run("token", "--role", role).strip();
    }

    /** The live process the stack's pid file names for a component (kafka, s3, oidc, orthanc, or a service). */
    Optional<ProcessHandle> process(String component) {
        Path file = state.resolve("pids").resolve(component + ".pid");
        try {
            if (!Files.exists(file)) return Optional.empty();
            Matcher m = PID.matcher(Files.readString(file));
            return m.find() ? ProcessHandle.of(Long.parseLong(m.group())).filter(ProcessHandle::isAlive) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kill -9 of a component: no shutdown hook, no flush, as a node failure or the OOM killer would do it. */
    void kill(String component) {
        ProcessHandle p = process(component).orElseThrow(() -> new AssertionError(component + " is not running; pids: " + pids()));
        p.destroyForcibly();
        p.onExit().join();
    }

    private String pids() {
        try (var files = Files.list(state.resolve("pids"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList().toString();
        } catch (IOException e) {
            return "(no pids/ directory)";
        }
    }

    /** The endpoints ./ich up wrote (stack.env). */
    Map<String, String> endpoints() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(state.resolve("stack.env"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    static String free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return Integer.toString(s.getLocalPort());
        }
    }

    /**
     * A first port with the four after it free too (the services take consecutive ports), and the five management
     * ports 100 above them.
     */
    static String freeRange() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first;
            try (ServerSocket s = new ServerSocket(0)) {
                first = s.getLocalPort();
            }
            if (first > 65_000) continue;
            boolean allFree = true;
            for (int p = first; p < first + 5 && allFree; p++) {
                allFree = isFree(p) && isFree(p + 100);
            }
            if (allFree) return Integer.toString(first);
        }
        throw new IOException("no five consecutive free ports (and five more 100 above them) found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
