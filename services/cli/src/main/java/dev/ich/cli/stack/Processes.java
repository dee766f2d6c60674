package dev.ich.cli.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Child processes of the local stack: started detached with a log file, remembered by a pid file that holds the pid
 * and the process's start instant (first and second line). A pid file is trusted only while a live process with that
 * pid started at that instant: a pid the system gave to another process since is never signalled.
 */
public final class Processes {
    private Processes() {
    }

    /** Starts {@code command} as the invoking user. */
    public static ProcessHandle start(List<String> command, Map<String, String> env, Path log, Path pidFile) throws IOException {
        return start(command, env, log, pidFile, null, null);
    }

    /** Starts {@code command} as {@code user} (null: the invoking user) in {@code directory} (null: this one's). */
    public static ProcessHandle start(List<String> command, Map<String, String> env, Path log, Path pidFile, StackUser user,
            Path directory) throws IOException {
        Files.createDirectories(log.getParent());
        Files.createDirectories(pidFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(user == null ? command : user.command(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        if (directory != null) pb.directory(directory.toFile());
        Process p = pb.start();
        ProcessHandle handle = p.toHandle();
        // setpriv execs the command: the pid and start instant stay the command's own.
        Instant started = handle.info().startInstant().orElseThrow(() -> new IOException("the system does not tell when process "
                + p.pid() + " started, so its pid file could not be trusted later"));
        Path written = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
        Files.writeString(written, p.pid() + "\n" + started + "\n");
        Files.move(written, pidFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return handle;
    }

    /** The live process a pid file names, if it is still the one that was started (same start instant). */
    public static Optional<ProcessHandle> running(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) return Optional.empty();
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 2) return Optional.empty(); // no start instant: nothing to tell a reused pid apart
            long pid = Long.parseLong(lines.get(0).trim());
            Instant started = Instant.parse(lines.get(1).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().startInstant().map(started::equals).orElse(false));
        } catch (IOException | NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Asks politely (SIGTERM: shutdown hooks run), then insists after {@code grace}. */
    public static boolean stop(ProcessHandle p, Duration grace) {
        p.destroy();
        try {
            p.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            p.destroyForcibly();
            p.onExit().join();
            return false;
        }
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
