package dev.ich.core.clean;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunLengthDeflateTest {

    @Test
    void zlibsInflaterReadsBackEveryKindOfInput() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        byte[] noise = new byte[200_000];
        random.nextBytes(noise);
        byte[] skewed = new byte[150_000];
        for (int i = 0; i < skewed.length; i++) skewed[i] = (byte) Math.min(255, (int) Math.abs(random.nextGaussian() * 6));
        byte[] runs = new byte[140_000];
        for (int i = 0; i < runs.length; i++) runs[i] = (byte) ((i / 700) % 3 == 0 ? random.nextInt(256) : 7);
        byte[] pixels = new byte[3 * 90_000];
        for (int i = 0; i < pixels.length; i += 3) {
            boolean flat = (i / 3000) % 2 == 0;
            pixels[i] = (byte) (flat ? 200 : random.nextInt(256));
            pixels[i + 1] = (byte) (flat ? 13 : random.nextInt(256));
            pixels[i + 2] = (byte) (flat ? 255 : random.nextInt(256));
        }
        byte[] oneSymbol = new byte[70_000];
        byte[] empty = new byte[0];
        byte[] tiny = {42};
        for (byte[] in : new byte[][]{noise, skewed, runs, pixels, oneSymbol, empty, tiny}) {
            for (int period = 1; period <= 4; period++) {
                byte[] z = RunLengthDeflate.zlib(in, 0, in.length, period);
                assertThat(inflate(z, in.length)).as("%d bytes, period %d", in.length, period).isEqualTo(in);
                // a block that codes larger than it stores is stored: 5 bytes a 65,535-byte block, plus the stream's 6
                assertThat(z.length).isLessThanOrEqualTo(in.length + 5 * (in.length / 65_535 + 1) + 6);
            }
        }
        assertThat(RunLengthDeflate.zlib(oneSymbol, 0, oneSymbol.length).length).as("runs are matched").isLessThan(1_000);
        assertThat(RunLengthDeflate.zlib(skewed, 0, skewed.length).length).as("entropy is coded").isLessThan(skewed.length / 2);
        assertThat(RunLengthDeflate.zlib(pixels, 0, pixels.length, 3).length).as("pixel runs at distance 3")
                .isLessThan(RunLengthDeflate.zlib(pixels, 0, pixels.length, 1).length);
    }

    @Test
    void anOffsetIntoTheArrayIsHonoured() throws Exception {
        byte[] in = new byte[5_000];
        new SplittableRandom(4).nextBytes(in);
        byte[] z = RunLengthDeflate.zlib(in, 1_000, 3_000);
        assertThat(inflate(z, 3_000)).isEqualTo(Arrays.copyOfRange(in, 1_000, 4_000));
    }

    @Test
    void aPeriodOutsideOneToFourIsRefused() {
        assertThatThrownBy(() -> RunLengthDeflate.zlib(new byte[9], 0, 9, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codeLengthsNeverExceedFifteenBitsEvenForFibonacciFrequencies() {
        // Fibonacci counts make the deepest optimal Huffman tree; 30 symbols would need 29 bits
        int[] freq = new int[286];
        int a = 1, b = 1;
        for (int s = 0; s < 30; s++) {
            freq[s] = a;
            int c = a + b;
            a = b;
            b = c;
        }
        int[] lengths = new int[286];
        new RunLengthDeflate.Huffman(286).lengths(freq, 286, 15, lengths);
        double kraft = 0;
        for (int s = 0; s < 30; s++) {
            assertThat(lengths[s]).isBetween(1, 15);
            kraft += Math.pow(2, -lengths[s]);
        }
        assertThat(kraft).isLessThanOrEqualTo(1.0);
    }

    private static byte[] inflate(byte[] z, int length) throws Exception {
        Inflater inflater = new Inflater();
        inflater.setInput(z);
        byte[] out = new byte[length + 1]; // room beyond the end, so that an empty stream can finish
        int n = 0;
        while (!inflater.finished()) {
            int k = inflater.inflate(out, n, out.length - n);
            if (k == 0 && !inflater.finished() && inflater.needsInput()) throw new AssertionError("stream ended early at " + n + " of " + length);
            n += k;
        }
        assertThat(inflater.getRemaining()).isZero();
        inflater.end();
        assertThat(n).isEqualTo(length);
        return java.util.Arrays.copyOf(out, length);
    }
}
