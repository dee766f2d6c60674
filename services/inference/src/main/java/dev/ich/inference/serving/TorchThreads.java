package dev.ich.inference.serving;

import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread count belongs to the thread that runs a pass: {@code at::set_num_threads} sets the
 * OpenMP thread count of the calling thread only (and remembers it for threads that have not run a parallel op yet,
 * which take it once, at their first). So one predictor can run a pass on every core while another keeps one
 * thread, and every thread of this service that runs the network sets its own count before a pass instead of
 * inheriting whatever another thread set last ({@code TorchThreadsTest} holds this on the engine).
 */
public final class TorchThreads {
    private static final ThreadLocal<int[]> SET = ThreadLocal.withInitial(() -> new int[] {0});
    /** The count of a pass among others: ich.inference.torch-threads resolved (Serving.configureEngine). */
    private static volatile int busy = 1;

    private TorchThreads() {
    }

    /** This thread's passes from now on use {@code threads} intra-op threads (a native call only when it changes). */
    public static void use(int threads) {
        int[] set = SET.get();
        if (set[0] != threads) {
            JniUtils.setNumThreads(threads);
            set[0] = threads;
        }
    }

    /** This thread's passes use the count of a pass that shares the cores with others. */
    public static void useBusy() {
        use(busy);
    }

    /** What libtorch reports for the calling thread. */
    public static int current() {
        return JniUtils.getNumThreads();
    }

    public static int busy() {
        return busy;
    }

    static void busy(int threads) {
        busy = Math.max(1, threads);
    }
}
