package dev.ich.cli;

import dev.ich.cli.stack.Processes;
import dev.ich.cli.stack.StackLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `ich bench forest`: the metadata-only forest (XGBoost, as the labeling service fits it) beside Tribuo's, on the same
 * synthetic rows. The bench is labeling's own test-scope code (ForestBench): the CLI does not depend on labeling, and
 * Tribuo stays off the service's class path, so this starts it in a JVM of its own on the class path labeling's build
 * wrote down.
 */
@Command(name = "forest", description = {"Fit time, whole-run time and AUC of the metadata-only XGBoost forest at the notebooks' size, "
        + "beside Tribuo's time per tree on the same rows (a few trees, extrapolated and labelled as such) and the ratio."})
final class BenchForestCommand implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "155000", description = "Train rows; valid gets a quarter as many (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--trees", defaultValue = "200", description = "Trees of the XGBoost forest (default: ${DEFAULT-VALUE}).")
    int trees;

    @Option(names = "--tribuo-trees", defaultValue = "2", description = "Tribuo trees actually fitted, 0 to skip Tribuo "
            + "(default: ${DEFAULT-VALUE}; minutes each at the default rows).")
    int tribuoTrees;

    @Option(names = "--max-depth", defaultValue = "0", description = "Depth cap of the XGBoost trees (default: the service's).")
    int maxDepth;

    @Override
    public Integer call() throws Exception {
        if (rows < 40 || trees < 1 || tribuoTrees < 0 || maxDepth < 0) {
            System.err.println("bench forest: --rows must be at least 40, --trees at least 1, --tribuo-trees and --max-depth at least 0");
            return 2;
        }
        Path labeling = StackLayout.fromSystem().home().resolve("services/labeling/target");
        Path classPathFile = labeling.resolve("bench-classpath.txt");
        if (!Files.isRegularFile(classPathFile) || !Files.isDirectory(labeling.resolve("test-classes"))) {
            System.err.println("bench forest: " + classPathFile + " or the labeling test classes are missing; run ./ich build first");
            return 2;
        }
        String classPath = labeling.resolve("test-classes") + ":" + labeling.resolve("classes") + ":"
                + Files.readString(classPathFile).trim();
        List<String> command = new ArrayList<>(List.of(Processes.javaBinary(), "-Xmx5g", "-cp", classPath,
                "dev.ich.labeling.experiment.ForestBench", String.valueOf(rows), String.valueOf(trees),
                String.valueOf(tribuoTrees), String.valueOf(maxDepth)));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        // As the labeling service runs (its image and the local stack set it): idle OpenMP threads sleep instead of
        // spinning, which on a shared machine made XGBoost's fit about 10x slower (docs/benchmarks.md).
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start().waitFor();
    }
}
