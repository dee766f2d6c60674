package dev.ich.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real peers our tests lean on (installed by ./ich test from Debian): dcmtk to transcode and
 * dump, Debian's python3 with pydicom as an independent reader, and pydicom's own test files.
 */
public final class Tools {
    /** Debian's interpreter: the one that has python3-pydicom, whatever else is first on PATH. */
    public static final String PYTHON = "/usr/bin/python3";
    public static final Path PYDICOM_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private Tools() {
    }

    public static Path pydicomFile(String name) {
        Path p = PYDICOM_FILES.resolve(name);
        if (!Files.exists(p)) throw new IllegalStateException(p + " is missing: run ./ich test, which installs python3-pydicom");
        return p;
    }

    /** Runs a command, fails with its output unless it exits 0, and returns standard output. */
    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ":\n"
                        + new String(out, StandardCharsets.UTF_8) + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + " (./ich test installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A dcmtk transcoder (dcmconv, dcmcrle, dcmcjpeg, dcmcjpls) applied to {@code in}, written to {@code out}. */
    public static Path transcode(Path in, Path out, String tool, String... options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool);
        cmd.addAll(Arrays.asList(options));
        cmd.add(in.toString());
        cmd.add(out.toString());
        run(cmd.toArray(String[]::new));
        return out;
    }

    /** Stored values as pydicom decodes them (pixel_array), row-major. */
    public static int[] pydicomPixels(Path file) {
        String out = run(PYTHON, "-c", "import sys, pydicom\n"
                + "a = pydicom.dcmread(sys.argv[1]).pixel_array\n"
                + "sys.stdout.write(' '.join(str(int(v)) for v in a.ravel()))", file.toString());
        return Arrays.stream(out.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }
}
