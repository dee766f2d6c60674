package dev.ich.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "clean", description = "placeholder while this change is written")
final class CleanCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalStateException("being written in this change");
    }
}
