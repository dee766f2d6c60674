package dev.ich.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * The end-to-end demo drives the services (ingest, cleaning, labeling, training, inference) through their
 * APIs; the driver arrives with issue 10. Until then it says so instead of pretending.
 */
@Command(name = "demo", description = "Run the whole seed experiment end to end (not yet available).")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("ich demo: not yet available. The services exist, the end-to-end driver does not yet;"
                + " see README.md, \"Feature status\". Meanwhile: ./ich up, ./ich send, ./ich labels, and"
                + " ./ich experiment baseline (docs/training.md).");
        return 3;
    }
}
