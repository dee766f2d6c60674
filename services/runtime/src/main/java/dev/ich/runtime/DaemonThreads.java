package dev.ich.runtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The background threads of a service: named (a thread dump says whose work it is) and daemon (a service that is told
 * to stop is never kept alive by its own background work; each owner shuts its executor down on ShutdownEvent too).
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Threads all called {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** One thread, {@code name}, for periodic work (a checkpoint, a poll, a retry). */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }

    /** One thread, {@code name}, for jobs taken one at a time (a dataset build, an experiment). */
    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(named(name));
    }
}
