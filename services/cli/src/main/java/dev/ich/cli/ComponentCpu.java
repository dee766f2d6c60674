package dev.ich.cli;

import dev.ich.cli.stack.LocalStack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time each running component of the local stack (and this CLI, which sends the bytes) spent over one phase of a
 * bench, with the machine's busy share: on a small shared machine that is what says whether a figure is limited by
 * ingest, by the S3 endpoint on the same cores, or by whatever else runs there.
 */
final class ComponentCpu {
    static final String CLI = "cli";
    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");

    private final LocalStack stack;
    private final List<String> components;
    private final Map<String, Duration> start;
    private final long[] machineStart;
    private final long nanoStart = System.nanoTime();

    private ComponentCpu(LocalStack stack, List<String> components) {
        this.stack = stack;
        this.components = components;
        this.start = now();
        this.machineStart = machine();
    }

    /** Starts counting for every component of {@code stack} that runs now. */
    static ComponentCpu start(LocalStack stack) {
        return new ComponentCpu(stack, stack.components().stream().filter(c -> stack.process(c).isPresent()).toList());
    }

    /** "ingest 12.3 s, s3 8.1 s, ...; machine busy 97 % of 2 cores" since {@link #start}, busiest first. */
    String since() {
        Map<String, Duration> end = now();
        double wall = (System.nanoTime() - nanoStart) / 1e9;
        StringBuilder s = new StringBuilder();
        end.entrySet().stream().filter(e -> start.containsKey(e.getKey()))
                .map(e -> Map.entry(e.getKey(), e.getValue().minus(start.get(e.getKey())).toMillis() / 1000.0))
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> s.append(s.isEmpty() ? "" : ", ").append(String.format("%s %.1f s", e.getKey(), e.getValue())));
        s.append(String.format(" in %.1f s wall", wall));
        long[] m = machine();
        if (machineStart != null && m != null && m[1] > machineStart[1]) {
            double busy = (double) (m[0] - machineStart[0]) / (m[1] - machineStart[1]);
            s.append(String.format("; machine busy %.0f %% of %d cores", 100 * busy, Runtime.getRuntime().availableProcessors()));
        }
        return s.toString();
    }

    /** Cores the stack's components (not this CLI) kept busy on average since {@link #start}. */
    double coresBusy() {
        Map<String, Duration> end = now();
        double wall = (System.nanoTime() - nanoStart) / 1e9;
        double cpu = 0;
        for (Map.Entry<String, Duration> e : end.entrySet()) {
            if (!e.getKey().equals(CLI) && start.containsKey(e.getKey())) cpu += e.getValue().minus(start.get(e.getKey())).toMillis() / 1000.0;
        }
        return wall > 0 ? cpu / wall : 0;
    }

    /** The 1, 5 and 15 minute load averages, or "unknown" where /proc/loadavg is absent. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(LOAD_AVERAGE).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private Map<String, Duration> now() {
        Map<String, Duration> cpu = new LinkedHashMap<>();
        for (String c : components) {
            Optional<Duration> d = stack.process(c).flatMap(p -> p.info().totalCpuDuration());
            d.ifPresent(v -> cpu.put(c, v));
        }
        ProcessHandle.current().info().totalCpuDuration().ifPresent(v -> cpu.put(CLI, v));
        return cpu;
    }

    /** {busy, total} jiffies of all cores from /proc/stat, or null where it is absent. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(PROC_STAT).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) total += Long.parseLong(f[i]);
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
