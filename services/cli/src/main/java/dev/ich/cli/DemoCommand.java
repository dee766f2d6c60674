package dev.ich.cli;

import dev.ich.cli.demo.Demo;
import dev.ich.cli.demo.DemoSettings;
import dev.ich.cli.stack.StackLayout;
import dev.ich.cli.stack.StackPorts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Duration;
import java.util.concurrent.Callable;

/** `ich demo`: the notebooks' experiment end to end through the local stack's services (docs/demo.md). */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {
        "Run the notebooks' experiment end to end through the services, on phantom studies: start the local stack if it is not running,"
                + " send the studies to ingest (STOW-RS, C-STORE, bulk import), wait for cleaning, post the labels, show the exploration,"
                + " publish a dataset, run the metadata-only forest, the learning-rate finder, a ResNet-18 baseline and a fine-tune from"
                + " it, promote the better model and predict held-out studies; then a summary table beside the notebooks' figures.",
        "About 15-20 minutes on 2 cores (--quick: a few minutes). The stack keeps running afterwards (./ich down stops it).",
        "Exit status: 0 when every step succeeded, 1 when one failed (the step, the reason and its log are printed), 2 for a wrong"
                + " command line."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StackPorts ports;

    @Option(names = "--quick", description = "A smaller run (24 studies, 64 px, 3 epochs): what the end-to-end test runs.")
    boolean quick;

    @Option(names = "--studies", paramLabel = "N", description = "Phantom studies of 32 slices (default: 60; --quick: 24).")
    Integer studies;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the phantoms, the split and the training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs of the baseline from scratch (default: 4; --quick: 3).")
    Integer epochs;

    @Option(names = "--size", paramLabel = "PX", description = "Image side for cleaning and training (default: 128; --quick: 64).")
    Integer size;

    @Option(names = "--sweep", paramLabel = "SEEDS", defaultValue = "0",
            description = "Also train the baseline with this many seeds in parallel and report mean and deviation (2..16; default: none).")
    int sweep;

    @Option(names = "--timeout", defaultValue = "180", description = "Seconds to wait for each component when starting the stack (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--images", description = "Start the local stack (when it is not running) from the container images"
            + " ./ich images built, as ./ich up --images does.")
    boolean images;

    @Override
    public Integer call() throws Exception {
        DemoSettings settings = quick ? DemoSettings.quick(seed, sweep) : DemoSettings.full(60, seed, sweep);
        if (studies != null) {
            if (studies < 4) throw usage("--studies must be >= 4 (a split by patient needs patients on both sides), got " + studies);
            settings = settings.withStudies(studies);
        }
        if (epochs != null) {
            if (epochs < 1 || epochs > 100) throw usage("--epochs must be 1..100, got " + epochs);
            settings = settings.withEpochs(epochs);
        }
        if (size != null) {
            if (size < 32 || size > 512) throw usage("--size must be 32..512, got " + size);
            settings = settings.withSize(size);
        }
        if (sweep == 1 || sweep < 0 || sweep > 16) throw usage("--sweep must be 2..16 seeds (or 0 for none), got " + sweep);
        Demo demo = new Demo(settings, StackLayout.fromSystem(), ports, Duration.ofSeconds(timeoutSeconds), System.out, System.err);
        return (images ? demo.fromImages() : demo).run();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
