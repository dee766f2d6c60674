package dev.ich.core.dicom.results;

import dev.ich.core.testing.Tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The independent judges of what we write (installed by ./ich test from Debian): dicom3tools' dciodvfy checks an
 * object against its IOD, dcmtk dumps it and renders the SR tree, pydicom reads it as Python users would.
 */
final class DicomTools {
    private DicomTools() {
    }

    /** What a tool printed (stdout and stderr together) and how it exited. */
    record Output(int exit, String text) {
        List<String> lines() {
            return text.lines().toList();
        }

        /** dciodvfy's verdicts: lines starting "Error" and "Warning". */
        List<String> errors() {
            return lines().stream().filter(l -> l.startsWith("Error")).toList();
        }

        List<String> warnings() {
            return lines().stream().filter(l -> l.startsWith("Warning")).toList();
        }
    }

    static Output dciodvfy(Path file) {
        requireOnPath("dciodvfy", "dicom3tools");
        return run("dciodvfy", file.toString());
    }

    static Output dsrdump(Path file) {
        requireOnPath("dsrdump", "dcmtk");
        return run("dsrdump", file.toString());
    }

    static Output dcmdump(Path file) {
        requireOnPath("dcmdump", "dcmtk");
        return run("dcmdump", file.toString());
    }

    /** A Python script run by Debian's python3, where python3-pydicom lives; the files are its arguments. */
    static Output pydicom(String script, Path... files) {
        assumeTrue(Files.isExecutable(Path.of(Tools.PYTHON)), "Debian's python3 is not installed (./ich test installs it)");
        List<String> command = new ArrayList<>(List.of(Tools.PYTHON, "-c", script));
        for (Path f : files) command.add(f.toString());
        Output out = run(command.toArray(String[]::new));
        assumeTrue(!out.text().contains("No module named 'pydicom'"), "python3-pydicom is not installed (./ich test installs it)");
        return out;
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }

    private static void requireOnPath(String tool, String pkg) {
        assumeTrue(onPath(tool), tool + " is not installed (./ich test installs Debian's " + pkg + ")");
    }

    static Output run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Output(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
