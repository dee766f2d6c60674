package dev.ich.testkit.quarkus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Holds a service's metrics to docs/metrics.md: every {@code ich_} family its {@code /q/metrics} shows must be named
 * there, so a meter cannot be added, renamed or given a unit without the page saying so.
 */
public final class MetricsDocumentation {
    private MetricsDocumentation() {
    }

    /** The {@code ich_} families of the running test application's scrape that docs/metrics.md does not name. */
    public static Set<String> undocumented() {
        return undocumented(Management.given().get("/q/metrics").then().statusCode(200).extract().asString(), page());
    }

    /** The {@code ich_} families of {@code scrape} (Prometheus text) that {@code page} does not name in backticks. */
    public static Set<String> undocumented(String scrape, String page) {
        Set<String> missing = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("# TYPE ich_")) continue;
            String family = line.substring("# TYPE ".length(), line.lastIndexOf(' '));
            String type = line.substring(line.lastIndexOf(' ') + 1).trim();
            // a timer's or summary's _max is a gauge of its own in the scrape; the page names the timer
            String named = family.endsWith("_max") ? family.substring(0, family.length() - "_max".length()) : family;
            // OpenMetrics-style scrapes name a counter's family without the _total its samples carry; the page names samples
            if (type.equals("counter") && !named.endsWith("_total")) named += "_total";
            if (!page.contains("`" + named + "`") && !page.contains("`" + named + "{")) missing.add(named);
        }
        return missing;
    }

    /** docs/metrics.md of the checkout the test runs in (Maven runs a module's tests in services/<module>). */
    static String page() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path page = dir.resolve("docs/metrics.md");
            if (Files.isRegularFile(page)) {
                try {
                    return Files.readString(page);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no docs/metrics.md above " + Path.of("").toAbsolutePath());
    }
}
