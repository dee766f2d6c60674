package dev.ich.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** `ich bench ...`: documented commands that print figures (docs/benchmarks.md records them). */
@Command(name = "bench", description = "Measure throughput; figures are recorded in docs/benchmarks.md.",
        subcommands = {BenchAuthCommand.class, BenchCleanTransformCommand.class, BenchCleaningServiceCommand.class, BenchForestCommand.class, BenchIngestCommand.class, BenchLabelsCommand.class, BenchPredictCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
