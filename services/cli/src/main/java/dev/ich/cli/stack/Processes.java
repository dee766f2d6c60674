package dev.ich.cli.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Child processes of the local stack: started detached with a log file, remembered by pid file. */
public final class Processes {
    private Processes() {
    }

    public static ProcessHandle start(List<String> command, Map<String, String> env, Path log, Path pidFile) throws IOException {
        Files.createDirectories(log.getParent());
        Files.createDirectories(pidFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        Files.writeString(pidFile, Long.toString(p.pid()));
        return p.toHandle();
    }

    /** The live process a pid file names, if any. */
    static Optional<ProcessHandle> running(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) return Optional.empty();
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
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
