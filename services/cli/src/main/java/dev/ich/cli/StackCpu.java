package dev.ich.cli;

import dev.ich.cli.stack.LocalStack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of each local-stack process over an interval, from /proc/PID/stat (readable for processes of
 * the stack's own user too): the profile that says where a co-located benchmark's cores went.
 */
final class StackCpu {
    /** Linux reports utime and stime in clock ticks of 1/100 s on every architecture ich runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> ticks;
    private final long nanos;

    private StackCpu(Map<String, Long> ticks, long nanos) {
        this.ticks = ticks;
        this.nanos = nanos;
    }

    static StackCpu sample(LocalStack stack) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (String c : stack.components()) stack.process(c).ifPresent(p -> {
            long t = ticks(p.pid());
            if (t >= 0) ticks.put(c, t);
        });
        ticks.put("bench (this process)", ticks(ProcessHandle.current().pid()));
        return new StackCpu(ticks, System.nanoTime());
    }

    /** "cleaning 61 %, s3 22 %, ..." of all cores' time between {@code before} and this sample. */
    String sharesSince(StackCpu before) {
        double wall = (nanos - before.nanos) / 1e9 * Runtime.getRuntime().availableProcessors();
        StringBuilder out = new StringBuilder();
        long total = 0;
        for (var e : ticks.entrySet()) {
            Long was = before.ticks.get(e.getKey());
            if (was == null) continue;
            long used = e.getValue() - was;
            total += used;
            if (used > 0) out.append(out.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                    .append(String.format("%.0f %%", 100 * used / TICKS_PER_SECOND / wall));
        }
        out.append(String.format("; all: %.0f %% of %d cores", 100 * total / TICKS_PER_SECOND / wall,
                Runtime.getRuntime().availableProcessors()));
        return out.toString();
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces: fields are counted after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
