package dev.ich.testkit;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Headless Chromium for screenshot tests of the HTML pages the services draw: a page that only looks right
 * in a browser is checked in one.
 */
public final class Chromium {

    /** How long one screenshot may take before the browser is killed. */
    public static final long TIMEOUT_SECONDS = 60;

    private static final List<String> NAMES = List.of("chromium", "chromium-browser");
    private static final int STDERR_TAIL_CHARS = 2000;

    private Chromium() {
    }

    /** True when a chromium or chromium-browser executable is on the PATH or in /usr/bin. */
    public static boolean available() {
        return executable().isPresent();
    }

    /** The browser's executable, if any: PATH first, /usr/bin as the fallback for a bare environment. */
    public static Optional<Path> executable() {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        dirs.add(Path.of("/usr/bin"));
        for (String name : NAMES) {
            for (Path dir : dirs) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Loads {@code url} in headless Chromium and writes a {@code width} x {@code height} PNG of the viewport.
     *
     * @return {@code png}
     * @throws IllegalStateException when chromium is missing, fails, times out or writes no file; the message holds
     *                               the tail of its stderr
     */
    public static Path screenshot(URI url, Path png, int width, int height) {
        Path browser = executable().orElseThrow(() -> new IllegalStateException(
                "chromium not found on PATH or in /usr/bin (apt-get install chromium)"));
        Path profile = null;
        Path stderr = null;
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(png);
            // A profile of its own: parallel runs would otherwise fight over ~/.config/chromium's lock.
            profile = Files.createTempDirectory("ich-chromium-");
            stderr = Files.createTempFile("ich-chromium-", ".log");
            List<String> command = List.of(browser.toString(),
                    // docs/development.md, "Dependencies": as root there is no sandbox; no GPU, no network chatter, no first-run UI.
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                    "--user-data-dir=" + profile,
                    "--hide-scrollbars",
                    "--screenshot=" + png.toAbsolutePath(),
                    "--window-size=" + width + "," + height,
                    // Lets the page finish loading (images, layout) before the picture is taken.
                    "--virtual-time-budget=5000",
                    url.toString());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw failure("timed out after " + TIMEOUT_SECONDS + " s", url, stderr);
            }
            if (process.exitValue() != 0) {
                throw failure("exited with " + process.exitValue(), url, stderr);
            }
            if (!Files.isRegularFile(png) || Files.size(png) == 0) {
                throw failure("wrote no screenshot to " + png, url, stderr);
            }
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException("chromium screenshot of " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while chromium took a screenshot of " + url, e);
        } finally {
            deleteQuietly(profile);
            deleteQuietly(stderr);
        }
    }

    /**
     * Share of pixels whose colour differs from the most common one (the page's background): about 0 for a blank
     * page, larger the more was drawn.
     */
    public static double nonBackgroundShare(BufferedImage img) {
        Map<Integer, Integer> counts = colourCounts(img);
        int background = counts.values().stream().max(Integer::compare).orElse(0);
        long total = (long) img.getWidth() * img.getHeight();
        return total == 0 ? 0 : (double) (total - background) / total;
    }

    /** Number of distinct RGB colours: charts and pictures have many, a blank or a text-only page few. */
    public static int distinctColours(BufferedImage img) {
        return colourCounts(img).size();
    }

    private static Map<Integer, Integer> colourCounts(BufferedImage img) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                counts.merge(img.getRGB(x, y) & 0xFFFFFF, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static IllegalStateException failure(String what, URI url, Path stderr) {
        return new IllegalStateException("chromium " + what + " taking a screenshot of " + url
                + "; stderr tail:\n" + tail(stderr));
    }

    private static String tail(Path log) {
        try {
            String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            return text.length() <= STDERR_TAIL_CHARS ? text : "..." + text.substring(text.length() - STDERR_TAIL_CHARS);
        } catch (IOException | RuntimeException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temp file left behind is no reason to fail a test
        }
    }
}
