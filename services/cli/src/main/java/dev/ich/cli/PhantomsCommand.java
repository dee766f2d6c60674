package dev.ich.cli;

import dev.ich.core.label.Label;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code ich phantoms}: writes synthetic head-CT studies and their labels.csv (see docs/phantoms.md). */
@Command(name = "phantoms", mixinStandardHelpOptions = true,
        description = "Write synthetic head-CT studies (DICOM, one folder per study) and labels.csv in RSNA format.")
final class PhantomsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created if missing).")
    Path out;

    @Option(names = "--studies", required = true, paramLabel = "N", description = "Number of studies, one patient each (>= 1).")
    int studies;

    @Option(names = "--seed", required = true, paramLabel = "S", description = "Seed: the same seed writes byte-identical files.")
    long seed;

    @Option(names = "--slices-per-study", paramLabel = "K", description = "Slices per study, vertex to teeth (>= 4; default: ${DEFAULT-VALUE}).")
    int slicesPerStudy = PhantomOptions.DEFAULT_SLICES_PER_STUDY;

    @Option(names = "--positive-rate", paramLabel = "P", description = "Target fraction of bleeding slices, 0 to 0.5 (default: 1/7).")
    double positiveRate = PhantomOptions.DEFAULT_POSITIVE_RATE;

    @Option(names = "--short-pixel-data", description = "Also write one file whose PixelData is cut short, like the real data set's corrupt file.")
    boolean shortPixelData;

    @Override
    public Integer call() throws Exception {
        PhantomOptions options = options();
        long total = (long) studies * slicesPerStudy;
        PhantomSet set;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("phantoms").setInitialMax(total).setUnit(" slices", 1)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build()) {
            set = new PhantomGenerator(options).generate(out, slice -> bar.step());
        }
        String positives = Stream.of(Label.values())
                .map(l -> l.csvName() + "=" + set.positives(l)).collect(Collectors.joining(" "));
        spec.commandLine().getOut().printf(Locale.ROOT, "phantoms: %d studies, %d slices in %.1f s (%.0f slices/s); positives: %s; labels: %s%n",
                set.studies(), set.slices().size(), set.elapsed().toMillis() / 1000.0, set.slicesPerSecond(), positives,
                set.labelsCsv().toAbsolutePath());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Turns the options' own checks into picocli usage errors, so the user sees which flag is wrong. */
    private PhantomOptions options() {
        if (studies < 1) throw usage("--studies must be >= 1, got " + studies);
        if (slicesPerStudy < 4) throw usage("--slices-per-study must be >= 4 (vertex, brain, skull base, teeth), got " + slicesPerStudy);
        if (!(positiveRate >= 0 && positiveRate <= PhantomOptions.MAX_POSITIVE_RATE))
            throw usage("--positive-rate must be between 0 and " + PhantomOptions.MAX_POSITIVE_RATE + ", got " + positiveRate);
        return new PhantomOptions(studies, seed, slicesPerStudy, positiveRate, shortPixelData, PhantomOptions.DEFAULT_SIZE);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
