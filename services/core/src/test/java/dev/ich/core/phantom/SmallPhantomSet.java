package dev.ich.core.phantom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One small phantom set on disk shared by the test classes of this package (written once per JVM):
 * six studies of eight slices, with the short-PixelData file, enough for every quirk to occur.
 */
final class SmallPhantomSet {
    static final PhantomOptions OPTIONS = PhantomOptions.of(6, 20260101L).withSlicesPerStudy(8).withShortPixelData(true);
    private static PhantomSet set;

    private SmallPhantomSet() {
    }

    static synchronized PhantomSet get() {
        if (set == null) {
            try {
                Path dir = Files.createTempDirectory("ich-phantoms-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                set = new PhantomGenerator(OPTIONS).generate(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return set;
    }

    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is not worth failing a test run for
        }
    }
}
