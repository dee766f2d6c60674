package dev.ich.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "phantoms", description = "Write synthetic head-CT studies (DICOM) and labels.csv.")
final class PhantomsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new IllegalStateException("phantom generator is being written in this change");
    }
}
