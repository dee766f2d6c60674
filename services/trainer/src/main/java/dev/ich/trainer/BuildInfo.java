package dev.ich.trainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Which code this trainer is: the project version and the git commit the build was given ({@code ich-build.properties},
 * filled in by Maven resource filtering; {@code ./ich build} passes {@code -Dich.git.commit=$(git rev-parse HEAD)}).
 * Either is null when the build did not say: model.json's lineage records "unknown", never a guess.
 */
record BuildInfo(String version, String commit) {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");
    static final String RESOURCE = "/ich-build.properties";

    /** This jar's, from its resource. */
    static BuildInfo current() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        return of(p.getProperty("version"), p.getProperty("commit"));
    }

    /**
     * Blank values, and unfiltered ones (a literal {@code ${...}}, e.g. classes compiled by an IDE), are unknown; a
     * commit must be a hex object name.
     */
    static BuildInfo of(String version, String commit) {
        String v = known(version);
        String c = known(commit);
        if (c != null) c = c.toLowerCase(java.util.Locale.ROOT);
        return new BuildInfo(v, c != null && COMMIT.matcher(c).matches() ? c : null);
    }

    private static String known(String value) {
        if (value == null || value.isBlank() || value.contains("${")) return null;
        return value.strip();
    }
}
