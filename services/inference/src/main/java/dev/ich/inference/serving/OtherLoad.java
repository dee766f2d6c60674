package dev.ich.inference.serving;

import java.lang.management.ManagementFactory;

/**
 * How much of the machine's CPU other processes use: the machine's recent CPU load minus this process's, sampled at
 * most every {@link #PERIOD_NANOS}. A forward pass on every core only pays when the cores are really free: on a
 * machine other processes keep busy, OpenMP threads wait for each other at every barrier and the pass gets slower
 * than on one thread (docs/benchmarks.md, "Inference service"), so the pool's idleness alone does not decide.
 */
final class OtherLoad {
    static final long PERIOD_NANOS = 250_000_000L;

    private final com.sun.management.OperatingSystemMXBean os;
    private long sampled = System.nanoTime() - 2 * PERIOD_NANOS;
    private double others = 1;

    OtherLoad() {
        os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean b ? b : null;
        share();
    }

    /** Share of all cores' time (0..1) that other processes used recently; 1 when the platform does not tell. */
    synchronized double share() {
        long now = System.nanoTime();
        if (now - sampled >= PERIOD_NANOS) {
            sampled = now;
            double machine = os == null ? -1 : os.getCpuLoad(), own = os == null ? -1 : os.getProcessCpuLoad();
            others = machine < 0 || own < 0 ? 1 : Math.max(0, machine - own);
        }
        return others;
    }
}
