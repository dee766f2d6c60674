package dev.ich.trainer;

import dev.ich.model.bench.TrainStepBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./ich bench train}: training images/s of a ResNet-18 step in DJL and, when Debian's python3-torch is
 * installed, of the same step in PyTorch on the same machine (docs/benchmarks.md records both).
 */
@Command(name = "bench-train", description = {"Training images/s of ResNet-18 in DJL (torchvision's layout and DJL's ResNetV1), "
        + "then PyTorch's own step (bench/python/train_step.py) when /usr/bin/python3 can import torch."})
final class BenchTrain implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "256", description = "Image side (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--no-python", description = "Skip the PyTorch reference.")
    boolean noPython;

    @Override
    public Integer call() throws Exception {
        System.out.printf(Locale.ROOT, "load average: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        for (TrainStepBench.Arch arch : TrainStepBench.Arch.values()) {
            System.out.println(TrainStepBench.run(arch, size, batch, warmup, steps));
        }
        if (noPython) return 0;
        Path script = Path.of(System.getProperty("ich.home", ".")).resolve("bench/python/train_step.py");
        if (!Files.isRegularFile(script) || !torchAvailable()) {
            System.out.println("PyTorch reference skipped: install python3-torch python3-torchvision (Debian) and run from the repository");
            return 0;
        }
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--size", Integer.toString(size),
                "--batch", Integer.toString(batch), "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps)));
        Process p = new ProcessBuilder(command).inheritIO().start();
        return p.waitFor() == 0 ? 0 : 1;
    }

    private static boolean torchAvailable() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import torch, torchvision").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
