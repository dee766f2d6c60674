package dev.ich.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ich.core.clean.HistogramBins;
import dev.ich.core.clean.HuImage;
import dev.ich.core.clean.SliceStatistics;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * `ich bins`: the hist-scaled channel's breakpoints from a sample of slices, as the notebooks computed
 * them (freqhist over HU pixels of many slices). Only slices that pass the drop rule contribute.
 */
@Command(name = "bins", description = "Compute histogram bins (freqhist) from a sample of slices; write a JSON array for --bins.")
final class BinsCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "DICOM files or folders.")
    List<Path> paths;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "JSON file to write.")
    Path out;

    @Option(names = "--slices", description = "Slices to sample at most (default: ${DEFAULT-VALUE}).", defaultValue = "400")
    int slices;

    @Option(names = "--pixels-per-slice", description = "Pixels sampled per slice (default: ${DEFAULT-VALUE}).", defaultValue = "4096")
    int pixelsPerSlice;

    @Option(names = "--threshold", description = "Skip slices with img_pct_window below this (default: ${DEFAULT-VALUE}).", defaultValue = "0.02")
    double threshold;

    @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        List<Path> files = DicomInputs.expand(paths);
        SplittableRandom random = new SplittableRandom(seed);
        Path[] shuffled = files.toArray(Path[]::new);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Path t = shuffled[i]; shuffled[i] = shuffled[j]; shuffled[j] = t;
        }
        float[] sample = new float[slices * pixelsPerSlice];
        int used = 0, filled = 0;
        DicomReader reader = DicomReader.create();
        for (Path f : shuffled) {
            if (used == slices) break;
            HuImage hu;
            try {
                hu = HuImage.of(reader.read(f));
            } catch (DicomReadException e) {
                continue;
            }
            if (SliceStatistics.brainWindowFraction(hu.hu()) < threshold) continue;
            for (int k = 0; k < pixelsPerSlice; k++) sample[filled++] = hu.hu()[random.nextInt(hu.hu().length)];
            used++;
        }
        if (used == 0) {
            System.err.println("bins: no usable slice under " + paths);
            return 1;
        }
        HistogramBins bins = HistogramBins.fromSample(Arrays.copyOf(sample, filled), HistogramBins.DEFAULT_COUNT);
        Files.writeString(out, new ObjectMapper().writeValueAsString(bins.edges()));
        System.out.printf("%s: %d breakpoints from %d slices (%d pixels), %.0f .. %.0f HU%n", out, bins.edges().length,
                used, filled, bins.edges()[0], bins.edges()[bins.edges().length - 1]);
        return 0;
    }
}
