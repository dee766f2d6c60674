package dev.ich.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs bench/python/clean_reference.py (pydicom, numpy, scipy, PIL; one thread) on the files the Java
 * side just cleaned and prints both rates and their ratio, so the comparison is one command on one
 * machine state.
 */
final class PythonCleanReference {
    private static final Pattern RATE = Pattern.compile("per core: ([0-9.]+)");

    private PythonCleanReference() {
    }

    static void run(List<Path> files, double javaPerCore) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("ich.home", ".")).resolve("bench/python/clean_reference.py");
        if (!Files.isRegularFile(script)) {
            System.out.println("python reference: skipped (" + script + " not found; run from a checkout)");
            return;
        }
        Path out = Files.createTempDirectory("ich-bench-ref");
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--bench", "--out", out.toString()));
        for (Path f : files) command.add(f.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // one thread, as the per-core figure of the Java side
        for (String v : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) pb.environment().put(v, "1");
        System.out.printf("python reference: %d of the files, one thread ...%n", files.size());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            System.out.println("python reference: skipped (/usr/bin/python3 cannot start: " + e.getMessage() + ")");
            return;
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES)) p.destroyForcibly();
        deleteTree(out);
        Matcher m = RATE.matcher(text);
        if (p.exitValue() != 0 || !m.find()) {
            System.out.println("python reference: failed (exit " + p.exitValue() + "; install python3-pydicom python3-numpy"
                    + " python3-scipy python3-pil); its output:");
            System.out.println(text.strip().lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n"));
            return;
        }
        double python = Double.parseDouble(m.group(1));
        System.out.print(text.strip().lines().map(l -> "  " + l + "\n").reduce("", String::concat));
        System.out.printf("java / python per core: %.1f / %.1f slices/s = %.1fx%n", javaPerCore, python, javaPerCore / python);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
