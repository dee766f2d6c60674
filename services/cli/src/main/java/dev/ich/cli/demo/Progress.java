package dev.ich.cli.demo;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/** The demo's progress bars: ASCII (logs and CI keep them readable), on the progress stream, not on the results. */
final class Progress {
    private Progress() {
    }

    static ProgressBar bar(String task, long max, String unit, PrintStream out) {
        return new ProgressBarBuilder().setTaskName(String.format("%-12s", task)).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out)).setUnit(unit, 1).setUpdateIntervalMillis(500).build();
    }
}
