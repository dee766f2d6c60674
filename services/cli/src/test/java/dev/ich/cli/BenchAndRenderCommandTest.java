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

class BenchAndRenderCommandTest {

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
        Path slice = set.slices().get(3).file();

        CliRun run = CliRun.of("render", slice.toString(), "--out", tmp.resolve("strip.png").toString());

        assertThat(run.exitCode()).isZero();
        BufferedImage strip = ImageIO.read(tmp.resolve("strip.png").toFile());
        assertThat(strip.getWidth()).isEqualTo(3 * 512 + 2 * 4);
        assertThat(strip.getHeight()).isEqualTo(512);
        // the brain window shows brain mid-grey; the bone window shows the same pixel nearly black
        int brain = strip.getRaster().getSample(256, 256, 0), bone = strip.getRaster().getSample(2 * 516 + 256, 256, 0);
        assertThat(brain).isGreaterThan(bone);
    }

    @Test
    void theDemoSaysHonestlyThatItIsNotAvailableYet() {
        CliRun run = CliRun.of("demo");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("not yet available");
    }
}
