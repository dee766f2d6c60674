package dev.ich.cli;

import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchRenderAndDemoCommandTest {

    @Test
    void benchCleanPrintsThroughputAndStageShares(@TempDir Path tmp) throws Exception {
        new PhantomGenerator(PhantomOptions.of(1, 3).withSlicesPerStudy(6)).generate(tmp);

        CliRun run = CliRun.of("bench", "clean", tmp.toString(), "--threads", "1", "--rounds", "1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).containsPattern("slices: 6 \\(\\d+ kept, \\d+ dropped, 0 errors\\)  threads: 1")
                .containsPattern("slices/s: [0-9.]+  per core: [0-9.]+")
                .contains("read+decode", "mask+crop", "png");
    }

    @Test
    void benchOnAnEmptyFolderSaysWhatToDo(@TempDir Path tmp) {
        CliRun run = CliRun.of("bench", "clean", tmp.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no DICOM files").contains("./ich phantoms");
    }

    @Test
    void renderPutsASliceInThreeWindowsSideBySide(@TempDir Path tmp) throws Exception {
        PhantomSet set = new PhantomGenerator(PhantomOptions.of(1, 3).withSlicesPerStudy(6)).generate(tmp.resolve("in"));
        Path slice = set.slices().stream().max(java.util.Comparator.comparingDouble(t -> t.brainWindowFraction()))
                .orElseThrow().file();

        CliRun run = CliRun.of("render", slice.toString(), "--out", tmp.resolve("strip.png").toString());

        assertThat(run.exitCode()).isZero();
        BufferedImage strip = ImageIO.read(tmp.resolve("strip.png").toFile());
        assertThat(strip.getWidth()).isEqualTo(3 * 512 + 2 * 4);
        assertThat(strip.getHeight()).isEqualTo(512);
        // brain tissue is mid-grey in the brain window (0..80 HU); the skull saturates it to white,
        // while the bone window (-800..2000 HU) still shows the skull in grey
        assertThat(meanOfCentre(strip, 0)).isBetween(60.0, 200.0);
        assertThat(countWhite(strip, 0)).isGreaterThan(1000);
        assertThat(countWhite(strip, 2 * 516)).isLessThan(100);
    }

    private static double meanOfCentre(BufferedImage strip, int x0) {
        double sum = 0;
        for (int y = 206; y < 306; y++) for (int x = 206; x < 306; x++) sum += strip.getRaster().getSample(x0 + x, y, 0);
        return sum / 10_000;
    }

    private static int countWhite(BufferedImage strip, int x0) {
        int n = 0;
        for (int y = 0; y < 512; y++) for (int x = 0; x < 512; x++) if (strip.getRaster().getSample(x0 + x, y, 0) == 255) n++;
        return n;
    }

    @Test
    void theDemoRefusesAWrongCommandLineBeforeItTouchesTheStack() {
        // exit 2 and a reason a person can act on; the end-to-end run itself is services/e2e QuickDemoTest
        CliRun tooFew = CliRun.of("demo", "--studies", "2");
        assertThat(tooFew.exitCode()).isEqualTo(2);
        assertThat(tooFew.err()).contains("--studies must be >= 4").contains("split by patient");

        CliRun oneSeed = CliRun.of("demo", "--sweep", "1");
        assertThat(oneSeed.exitCode()).isEqualTo(2);
        assertThat(oneSeed.err()).contains("--sweep must be 2..16 seeds");

        CliRun tinyImages = CliRun.of("demo", "--size", "8");
        assertThat(tinyImages.exitCode()).isEqualTo(2);
        assertThat(tinyImages.err()).contains("--size must be 32..512, got 8");
    }
}
