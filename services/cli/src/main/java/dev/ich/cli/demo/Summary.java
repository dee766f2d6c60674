package dev.ich.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.event.Events;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's record of itself: one row per step (time, result, the notebooks' figure on the real data), the URLs of the
 * reports, and the key numbers by name. Printed as a table at the end and written as summary.json (what the end-to-end
 * test asserts on) and summary.md (what README.md shows).
 */
final class Summary {
    record Row(String step, double seconds, String result, String seed) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, String> links = new LinkedHashMap<>();
    /** Local copies of the linked reports: the URLs need a token, a browser opens a file. */
    private final Map<String, String> saved = new LinkedHashMap<>();
    private final Map<String, Object> numbers = new LinkedHashMap<>();
    private String failedStep;
    private String failure;
    private String failureLog;

    void row(String step, double seconds, String result, String seed) {
        rows.add(new Row(step, seconds, result, seed));
    }

    void link(String what, String url) {
        links.put(what, url);
    }

    void link(String what, String url, Path copy) {
        links.put(what, url);
        saved.put(what, copy.toString());
    }

    void number(String name, Object value) {
        numbers.put(name, value);
    }

    void failed(String step, String reason, String log) {
        this.failedStep = step;
        this.failure = reason;
        this.failureLog = log;
    }

    double totalSeconds() {
        return rows.stream().mapToDouble(Row::seconds).sum();
    }

    static String duration(double seconds) {
        if (seconds < 60) return String.format(Locale.ROOT, "%.0f s", Math.max(seconds, 0));
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }

    void print(PrintStream out) {
        int w1 = "step".length(), w2 = "time".length(), w3 = "result".length();
        for (Row r : rows) {
            w1 = Math.max(w1, r.step().length());
            w2 = Math.max(w2, duration(r.seconds()).length());
            w3 = Math.max(w3, r.result().length());
        }
        String fmt = "%-" + w1 + "s  %" + w2 + "s  %-" + w3 + "s  %s%n";
        out.printf(fmt, "step", "time", "result", "the notebooks, on the real data");
        out.printf(fmt, "-".repeat(w1), "-".repeat(w2), "-".repeat(w3), "-".repeat(26));
        for (Row r : rows) out.printf(fmt, r.step(), duration(r.seconds()), r.result(), r.seed());
        out.printf(fmt, "total", duration(totalSeconds()), "", "");
        if (!links.isEmpty()) {
            out.println();
            int w = links.keySet().stream().mapToInt(String::length).max().orElse(0);
            links.forEach((what, url) -> out.printf("%-" + w + "s  %s%n", what, saved.containsKey(what) ? saved.get(what) : url));
            out.println("(saved from the services, which need a token: curl -H \"Authorization: Bearer $(./ich token --role ich-reader)\" URL;"
                    + " the URLs are in summary.json)");
        }
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode json = Events.JSON.createObjectNode();
        json.put("status", failedStep == null ? "succeeded" : "failed");
        if (failedStep != null) {
            json.put("failedStep", failedStep).put("failure", failure).put("log", failureLog);
        }
        json.put("seconds", totalSeconds());
        json.set("steps", Events.JSON.valueToTree(rows));
        json.set("numbers", Events.JSON.valueToTree(numbers));
        json.set("links", Events.JSON.valueToTree(links));
        json.set("saved", Events.JSON.valueToTree(saved));
        Files.write(dir.resolve("summary.json"), Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));

        StringBuilder md = new StringBuilder("| step | time | result | the notebooks, on the real data |\n| --- | ---: | --- | --- |\n");
        for (Row r : rows) {
            md.append("| ").append(r.step()).append(" | ").append(duration(r.seconds())).append(" | ").append(r.result().replace("|", "/"))
                    .append(" | ").append(r.seed().replace("|", "/")).append(" |\n");
        }
        md.append("| **total** | **").append(duration(totalSeconds())).append("** | | |\n");
        Files.writeString(dir.resolve("summary.md"), md);
    }
}
