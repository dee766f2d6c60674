package dev.ich.cli.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./ich up --images}: the stack's components from the images {@code ./ich images} built (podman, docs/deploy.md,
 * "Container images") instead of processes of this checkout's jars. Each container runs in the foreground of a
 * {@code podman run} process, so the stack keeps one process per component (its pid file, its log, {@code ./ich down}
 * stopping it: podman passes the signal on and removes the container).
 *
 * <p>Services run with the chart's container security settings: read-only root, a {@code /tmp} of their own, every
 * capability dropped, no new privileges, host networking on the stack's ports. They run as the stack's user (not the
 * images' uid 10001) because they share the stack's data folders with the other components, which that user owns.
 * The local PACS (Orthanc) stays a Debian program.
 */
public final class ContainerImages {
    private final Path home;
    private final String version;

    private ContainerImages(Path home, String version) {
        this.home = home;
        this.version = version;
    }

    /** The images of this checkout's version; refuses with what to do when podman or an image is missing. */
    public static ContainerImages of(Path home, List<String> components) throws IOException {
        ContainerImages images = new ContainerImages(home, version(home));
        if (!Files.isExecutable(Path.of("/usr/bin/podman"))) {
            throw new IllegalStateException("--images needs podman (Debian: podman buildah skopeo); ./ich images installs them and builds the images");
        }
        List<String> missing = new ArrayList<>();
        for (String c : components) {
            if (c.equals(LocalPacs.NAME)) continue;
            if (!images.exists(imageOf(c))) missing.add(images.tag(imageOf(c)));
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no image " + String.join(", ", missing) + " in " + images.engineDir()
                    + ": build them first with ./ich images");
        }
        return images;
    }

    /** The image a component runs from: the infrastructure shares one. */
    static String imageOf(String component) {
        return LocalStack.INFRA.contains(component) ? "infra" : component;
    }

    public String tag(String image) {
        return "localhost/ich-" + image + ":" + version;
    }

    /** Where {@code ./ich images} keeps the engine's storage and settings (containers/engine.sh). */
    Path engineDir() {
        return home.resolve(".ich").resolve("containers");
    }

    /** The engine settings containers/engine.sh wrote: podman must find the images where they were built. */
    public Map<String, String> engineEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CONTAINERS_STORAGE_CONF", engineDir().resolve("storage.conf").toString());
        env.put("CONTAINERS_CONF", engineDir().resolve("containers.conf").toString());
        return env;
    }

    /** {@code podman run} of an infrastructure component: InfraMain's arguments, the stack's state mounted where it is. */
    public List<String> infra(String component, StackLayout layout, StackUser user, int port, String listen) {
        List<String> command = run(component, layout, user);
        command.add(tag("infra"));
        command.addAll(List.of(component, layout.root().toString(), Integer.toString(port), listen));
        return command;
    }

    /**
     * {@code podman run} of a service with its environment in an owner-only file (never on a command line, where
     * {@code ps} shows it: it holds the storage key and the pseudonym key).
     */
    public List<String> service(Service s, StackLayout layout, StackUser user, Map<String, String> env, Path trainerJar) throws IOException {
        Path envFile = layout.run().resolve(s.name() + ".env");
        Files.createDirectories(envFile.getParent());
        Files.deleteIfExists(envFile);
        Files.createFile(envFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder lines = new StringBuilder();
        env.forEach((k, v) -> lines.append(k).append('=').append(v.replace("\n", "")).append('\n'));
        Files.writeString(envFile, lines);
        List<String> command = run(s.name(), layout, user);
        command.addAll(List.of("--read-only", "--tmpfs", "/tmp:rw,exec,nosuid,nodev,size=4g", "--cap-drop", "ALL",
                "--security-opt", "no-new-privileges", "--env-file", envFile.toString()));
        // training's local launcher runs the trainer's jar with the image's java; the jar is this checkout's build
        if (s.name().equals("training") && trainerJar != null) command.addAll(List.of("-v", trainerJar + ":" + trainerJar + ":ro"));
        command.add(tag(s.name()));
        return command;
    }

    /** What every component's container shares: the stack's data, run and home folders where the stack keeps them. */
    private List<String> run(String component, StackLayout layout, StackUser user) {
        return new ArrayList<>(List.of("/usr/bin/podman", "run", "--rm", "--replace", "--name", "ich-" + component,
                "--network", "host", "--user", user.uid() + ":" + user.gid(), "--stop-timeout", "20",
                "-v", layout.data() + ":" + layout.data(), "-v", layout.run() + ":" + layout.run(),
                "-v", layout.userHome() + ":" + layout.userHome()));
    }

    private boolean exists(String image) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/podman", "image", "exists", tag(image)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(engineEnvironment());
        try {
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("podman image exists " + tag(image) + " did not answer within 60 s");
            }
            return p.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking podman for " + tag(image), e);
        }
    }

    /** The project's version, as the images are tagged (containers/engine.sh reads the same line of pom.xml). */
    static String version(Path home) throws IOException {
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(home.resolve("pom.xml")));
        if (!m.find()) throw new IOException("no <version> in " + home.resolve("pom.xml"));
        return m.group(1);
    }
}
