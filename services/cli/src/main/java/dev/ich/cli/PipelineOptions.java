package dev.ich.cli;

import dev.ich.core.clean.Channel;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.clean.HistogramBins;
import dev.ich.core.clean.PipelineConfig;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The cleaning pipeline's settings as command-line options, shared by clean and bench. */
final class PipelineOptions {
    @Option(names = "--size", description = "Side of the cleaned PNG in pixels (default: ${DEFAULT-VALUE}).", defaultValue = "256")
    int size;

    @Option(names = "--channels", split = ",", description = "Channels, windows or 'hist' (default: brain,subdural,hist).")
    List<String> channels;

    @Option(names = "--threshold", description = "Drop slices whose img_pct_window is below this (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.02")
    double threshold;

    @Option(names = "--bins", description = "JSON array of HU breakpoints for the hist channel (default: the shipped bins).")
    Path bins;

    @Option(names = "--png-level", description = "PNG deflate level 0 (stored, fastest) to 9 (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int pngLevel;

    CleaningPipeline pipeline() throws IOException {
        return new CleaningPipeline(config(), pngLevel);
    }

    PipelineConfig config() throws IOException {
        PipelineConfig c = PipelineConfig.defaults().withSize(size).withDropThreshold(threshold);
        if (channels != null) c = c.withChannels(channels.stream().map(Channel::parse).toList());
        if (bins != null) c = c.withBins(readBins(bins));
        return c;
    }

    static HistogramBins readBins(Path file) throws IOException {
        return HistogramBins.parse(java.nio.file.Files.readString(file));
    }
}
