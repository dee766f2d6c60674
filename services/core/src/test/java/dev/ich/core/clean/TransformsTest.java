package dev.ich.core.clean;

import dev.ich.core.dicom.PixelAttributes;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The notebooks' formulas, checked on images whose answers are known by construction. */
class TransformsTest {

    @Test
    void windowsAreTheSeedsTableWithIntegerHalfWidths() {
        assertThat(Windows.ALL).hasSize(11);
        assertThat(Windows.BRAIN.lower()).isZero();
        assertThat(Windows.BRAIN.upper()).isEqualTo(80);
        assertThat(Windows.SUBDURAL.lower()).isEqualTo(100 - 127);
        assertThat(Windows.SUBDURAL.upper()).isEqualTo(227);
        assertThat(Windows.require("bone")).isEqualTo(Windows.BRAIN_BONE);
        assertThat(Windows.BRAIN.apply(-5)).isZero();
        assertThat(Windows.BRAIN.apply(20)).isEqualTo(0.25);
        assertThat(Windows.BRAIN.apply(300)).isEqualTo(1.0);
        assertThatThrownBy(() -> Windows.require("kidney")).hasMessageContaining("known windows: brain, subdural");
    }

    @Test
    void theBrainWindowFractionIsStrictOnBothEnds() {
        // 100 pixels: 30 of brain (40 HU), 1 at exactly 0 HU, 1 at exactly 80 HU, the rest air.
        int[] stored = new int[100];
        Arrays.fill(stored, 0);                           // -1024 HU with the intercept below
        for (int i = 0; i < 30; i++) stored[i] = 1024 + 40;
        stored[50] = 1024;                                // 0 HU: on the edge, not inside
        stored[51] = 1024 + 80;                           // 80 HU: on the edge, not inside
        float[] hu = new float[100];

        SliceStatistics s = SliceStatistics.computeAndRescale(stored, 1, -1024, hu);

        assertThat(s.pctWindow()).isEqualTo(0.30);
        assertThat(hu[0]).isEqualTo(40f);
        assertThat(s.min()).isZero();
        assertThat(s.max()).isEqualTo(1104);
        double mean = (30 * 1064 + 1024 + 1104) / 100.0;
        assertThat(s.mean()).isCloseTo(mean, within(1e-9));
        double var = 0;
        for (int v : stored) var += (v - mean) * (v - mean);
        assertThat(s.std()).isCloseTo(Math.sqrt(var / 100), within(1e-9)); // population std, as numpy
    }

    @Test
    void thePixelFixRestoresTheIntendedHuOfAMisEncoded12BitSlice() {
        int[] intendedHu = {-1000, -700, -100, 0, 15, 40, 80, 700, 1500, 3095};
        // The mis-encoding: intercept 0 written where -1000 was meant, values wrapped modulo 4096.
        int[] stored = Arrays.stream(intendedHu).map(h -> h >= 0 ? h : h + 4096).toArray();
        PixelAttributes misEncoded = new PixelAttributes(1, stored.length, 16, 12, 11, 0, 1, 0, "MONOCHROME2");

        PixelAttributes after = PixelFix.applyInPlace(stored, misEncoded);

        assertThat(after.rescaleIntercept()).isEqualTo(-1000);
        int[] hu = Arrays.stream(stored).map(v -> v - 1000).toArray();
        assertThat(hu).containsExactly(intendedHu);
    }

    @Test
    void thePixelFixLeavesCorrectlyEncodedSlicesAlone() {
        int[] stored = {0, 1000, 2000};
        PixelAttributes signed = new PixelAttributes(1, 3, 16, 12, 11, 1, 1, 0, "MONOCHROME2");
        PixelAttributes usual = new PixelAttributes(1, 3, 16, 12, 11, 0, 1, -1024, "MONOCHROME2");
        assertThat(PixelFix.applyInPlace(stored, signed)).isSameAs(signed);
        assertThat(PixelFix.applyInPlace(stored, usual)).isSameAs(usual);
        assertThat(stored).containsExactly(0, 1000, 2000);
        assertThat(PixelFix.applies(new PixelAttributes(1, 3, 16, 12, 11, 0, 1, -100, "MONOCHROME2"))).isTrue();
        assertThat(PixelFix.applies(new PixelAttributes(1, 3, 16, 12, 11, 0, 1, -101, "MONOCHROME2"))).isFalse();
    }

    @Test
    void bilinearUsesHalfPixelCentresAndReplicatesTheBorder() {
        float[] src = {0, 10, 20, 30};                                  // one row of 4
        float[] up = Bilinear.resample(src, 4, 0, 0, 1, 4, 1, 8);      // to 8: positions -0.25, 0.25, ...
        assertThat(up).containsExactly(0f, 2.5f, 7.5f, 12.5f, 17.5f, 22.5f, 27.5f, 30f);
        float[] down = Bilinear.resample(src, 4, 0, 0, 1, 4, 1, 2);    // to 2: positions 0.5 and 2.5
        assertThat(down).containsExactly(5f, 25f);
        float[] same = Bilinear.resample(src, 4, 0, 0, 1, 4, 1, 4);
        assertThat(same).containsExactly(src);
    }

    @Test
    void theCropBoxOfADiskIsTheDisksSquareAnchoredTopLeftAndInsideTheImage() {
        int n = 512;
        BrainMask mask = new BrainMask(0.3, 0.05);
        float[] disk = disk(n, 200, 260, 120);

        CropBox box = mask.cropBox(disk, n);

        // The blur spreads the disk by up to the kernel radius (38 px), never less than the disk itself.
        assertThat(box.row()).isBetween(200 - 120 - 38, 200 - 120);
        assertThat(box.column()).isBetween(260 - 120 - 38, 260 - 120);
        assertThat(box.row() + box.side()).isGreaterThanOrEqualTo(200 + 120);
        assertThat(box.column() + box.side()).isGreaterThanOrEqualTo(260 + 120);

        CropBox nearEdge = mask.cropBox(disk(n, 480, 480, 100), n);
        assertThat(nearEdge.row() + nearEdge.side()).isEqualTo(n);
        assertThat(nearEdge.column() + nearEdge.side()).isEqualTo(n);

        float[] air = new float[n * n];
        Arrays.fill(air, -1000);
        assertThat(mask.cropBox(air, n)).isEqualTo(new CropBox(0, 0, n));
    }

    @Test
    void theQuadraticBlurMatchesTheExactGaussianKernel() {
        int n = 96, radius = 9;
        double sigma = 38.4;
        float[] img = new float[n * n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int i = 0; i < img.length; i++) img[i] = (float) rnd.nextDouble();

        float[] once = BrainMask.transpose(img, n, n, new float[img.length]);
        BrainMask.blurColumns(once.clone(), n, n, radius, sigma, once); // blurs the rows of img, transposed

        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int d = -radius; d <= radius; d++) sum += k[d + radius] = Math.exp(-d * d / (2 * sigma * sigma));
        for (int y = 0; y < n; y += 7) {
            for (int x = 0; x < n; x += 5) {
                double exact = 0;
                for (int d = -radius; d <= radius; d++) {
                    int j = Math.min(n - 1, Math.max(0, x + d));
                    exact += k[d + radius] / sum * img[y * n + j];
                }
                assertThat((double) once[x * n + y]).isCloseTo(exact, within(1e-3));
            }
        }
    }

    @Test
    void histogramBinsFollowFreqhistAndScaleLikeNumpyInterp() {
        float[] sample = new float[1000];
        for (int i = 0; i < sample.length; i++) sample[i] = 999 - i; // 0..999, unsorted

        HistogramBins bins = HistogramBins.fromSample(sample, 100);

        // quantiles 0.001, 0.005, 0.015, ..., 0.995, 0.999 of 0..999 are the values 1, 5, 15, ..., 995, 999
        assertThat(bins.edges()).hasSize(102);
        assertThat(bins.edges()[0]).isEqualTo(1);
        assertThat(bins.edges()[1]).isEqualTo(5);
        assertThat(bins.edges()[2]).isEqualTo(15);
        assertThat(bins.edges()[101]).isEqualTo(999);
        assertThat(bins.scale(-50)).isZero();
        assertThat(bins.scale(5000)).isEqualTo(1.0);
        assertThat(bins.scale(5)).isCloseTo(1.0 / 101, within(1e-12));
        assertThat(bins.scale(10)).isCloseTo(1.5 / 101, within(1e-12));

        float[] constant = new float[50];
        Arrays.fill(constant, 3f);
        assertThatThrownBy(() -> HistogramBins.fromSample(constant, 100)).hasMessageContaining("at least 2 edges");
    }

    @Test
    void binsFilesParseAsJsonArraysOrPlainNumbers() {
        assertThat(HistogramBins.parse("[-1000.0, 0.0, 40.5]\n").edges()).containsExactly(-1000, 0, 40.5);
        assertThat(HistogramBins.parse("-1000 0\n40.5").edges()).containsExactly(-1000, 0, 40.5);
        assertThatThrownBy(() -> HistogramBins.parse("[]")).hasMessageContaining("no numbers");
        assertThatThrownBy(() -> HistogramBins.parse("[1, x]")).hasMessageContaining("not a number");
        assertThat(HistogramBins.defaults().edges().length).isGreaterThan(10);
    }

    static float[] disk(int n, int cy, int cx, int r) {
        float[] hu = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double d = Math.hypot(y - cy, x - cx);
                hu[y * n + x] = d <= r ? 35f : -1000f;
            }
        }
        return hu;
    }
}
