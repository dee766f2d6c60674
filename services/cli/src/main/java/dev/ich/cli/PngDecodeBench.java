package dev.ich.cli;

import dev.ich.core.augment.PlanarImage;
import dev.ich.core.clean.PngDecoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The PNG decode a trainer does per sample per epoch, ich's own decoder beside ImageIO's on the same
 * cleaned PNGs, interleaved image by image so both sides see the same machine.
 */
final class PngDecodeBench {
    static final int IMAGES = 400;
    private static final int ROUNDS = 5;

    private PngDecodeBench() {
    }

    static void print(List<byte[]> pngs) {
        if (pngs.isEmpty()) return;
        long own = 0, imageIo = 0, bytes = 0;
        for (int round = 0; round <= ROUNDS; round++) {
            for (byte[] png : pngs) {
                long t0 = System.nanoTime();
                PlanarImage.fromPng(png);
                long t1 = System.nanoTime();
                try {
                    PlanarImage.readPng(png);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                long t2 = System.nanoTime();
                if (round > 0) { // round 0 warms both up
                    own += t1 - t0;
                    imageIo += t2 - t1;
                    bytes += png.length;
                }
            }
        }
        long n = (long) pngs.size() * ROUNDS;
        System.out.printf("png decode (%d cleaned PNGs, %.1f kB each, %d rounds): own %.3f ms, ImageIO %.3f ms a slice;"
                        + " own is %.1fx faster (own includes the float conversion, ImageIO only its raster)%n",
                pngs.size(), bytes / 1e3 / n, ROUNDS, own / 1e6 / n, imageIo / 1e6 / n, (double) imageIo / own);
        if (PngDecoder.decode(pngs.get(0)) == null) System.out.println("  (these PNGs are not ich's layout: ImageIO decoded both sides)");
    }
}
