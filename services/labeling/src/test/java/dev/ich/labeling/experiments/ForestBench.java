package dev.ich.labeling.experiments;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * {@code ./ich bench forest}: the service's XGBoost forest ({@link MetadataBaseline#run}: fit, valid scores and the
 * permutation importances) beside Tribuo's old forest, on the same {@link BenchHeaders} rows in one process. Tribuo
 * needs minutes per tree at full size, so it fits a few trees and its 200-tree time is an extrapolation, printed as one.
 *
 * <p>In test scope with Tribuo so that neither reaches the service's class path; the CLI starts it on the class path
 * the build writes to target/bench-classpath.txt. Arguments: train rows, trees, Tribuo trees, max depth (0: the
 * service's default).
 */
public final class ForestBench {

    /** What one bench run measured. */
    public record Result(int trainRows, int validRows, int trees, int maxDepth, double xgboostFitSeconds,
                         double xgboostRunSeconds, double auc, int tribuoTrees, double tribuoFitSeconds) {
        double tribuoSecondsPerTree() {
            return tribuoFitSeconds / tribuoTrees;
        }

        double tribuoExtrapolatedSeconds() {
            return tribuoSecondsPerTree() * trees;
        }
    }

    private ForestBench() {
    }

    public static void main(String[] args) throws IOException {
        int train = args.length > 0 ? Integer.parseInt(args[0]) : 155_000;
        int trees = args.length > 1 ? Integer.parseInt(args[1]) : MetadataBaseline.DEFAULT_TREES;
        int tribuoTrees = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int depth = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        run(train, trees, tribuoTrees, depth, System.out);
    }

    /**
     * Valid rows are a quarter of {@code train}, as the notebooks' 80/20 split; {@code tribuoTrees} 0 skips Tribuo,
     * {@code depth} 0 is the service's {@link MetadataBaseline#DEFAULT_MAX_DEPTH}.
     */
    public static Result run(int train, int trees, int tribuoTrees, int depth, PrintStream out) throws IOException {
        int maxDepth = depth > 0 ? depth : MetadataBaseline.DEFAULT_MAX_DEPTH;
        int valid = train / 4;
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "bench forest: %,d train + %,d valid rows, %d columns, %d cores, OMP_WAIT_POLICY=%s, load average %s%n",
                train, valid, BenchHeaders.COLUMNS, cores, System.getenv().getOrDefault("OMP_WAIT_POLICY", "(unset)"), loadAverage());
        List<MetadataSample> rows = BenchHeaders.rows(train, valid, 1);

        long started = System.nanoTime();
        BaselineReport report = MetadataBaseline.builder().setSeed(42).optTrees(trees).optMaxDepth(maxDepth).build().run(rows);
        double xgboostRun = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "XGBoost %s forest, %d trees, depth %d, %d threads: fit %.1f s; whole run %.1f s (fit, valid scores, %d permutation importances); valid AUC %.4f%n",
                xgboostVersion(), trees, maxDepth, cores, report.trainSeconds(), xgboostRun, report.importances().size(), report.auc());

        double tribuoFit = tribuoTrees > 0 ? TribuoForest.fitSeconds(rows, tribuoTrees, 42) : Double.NaN;
        Result result = new Result(train, valid, trees, maxDepth, report.trainSeconds(), xgboostRun, report.auc(), tribuoTrees, tribuoFit);
        if (tribuoTrees > 0) {
            out.printf(Locale.ROOT, "Tribuo %s forest, %d trees measured (one thread, the first with JIT warm-up): fit %.1f s, %.1f s per tree%n",
                    org.tribuo.Tribuo.VERSION, tribuoTrees, tribuoFit, result.tribuoSecondsPerTree());
            out.printf(Locale.ROOT, "Tribuo at %d trees, EXTRAPOLATED (%d x %.1f s, not measured): %.0f s (%.1f h)%n",
                    trees, trees, result.tribuoSecondsPerTree(), result.tribuoExtrapolatedSeconds(), result.tribuoExtrapolatedSeconds() / 3600);
            out.printf(Locale.ROOT, "ratio, XGBoost's %d-tree fit to Tribuo's extrapolated %d-tree fit: %.4fx (XGBoost %.0fx faster)%n",
                    trees, trees, report.trainSeconds() / result.tribuoExtrapolatedSeconds(),
                    result.tribuoExtrapolatedSeconds() / report.trainSeconds());
        }
        out.printf(Locale.ROOT, "load average at the end %s%n", loadAverage());
        return result;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }

    private static String xgboostVersion() throws IOException {
        try (InputStream in = ml.dmlc.xgboost4j.java.XGBoost.class.getResourceAsStream("/xgboost4j-version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "(unknown version)");
        }
    }
}
