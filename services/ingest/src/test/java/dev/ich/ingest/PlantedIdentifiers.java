package dev.ich.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's pydicom, through src/test/python/identifiers.py: plants identifiers into an instance and
 * reports every element of a stored one, walked recursively. The judge shares no code with PixelMed,
 * which de-identifies.
 */
final class PlantedIdentifiers {
    private static final Path SCRIPT = Path.of("src/test/python/identifiers.py").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@code plant} put in: the marker every planted text carries, the dates, the PatientID. */
    record Planted(Path file, JsonNode values) {
        String patientId() {
            return values.get("patientId").asText();
        }

        String date(String keyword) {
            return values.get("dates").get(keyword).asText();
        }

        String time(String keyword) {
            return values.get("times").get(keyword).asText();
        }

        List<String> allDates() {
            List<String> dates = new ArrayList<>();
            values.get("dates").forEach(d -> dates.add(d.asText()));
            dates.add(values.get("birthDate").asText());
            dates.add(values.get("nestedDate").asText());
            return dates;
        }
    }

    /** One element of the report: its path (keywords and item numbers), tag, VR and value as text. */
    record Element(String path, String tag, String keyword, String vr, boolean isPrivate, JsonNode value) {
        List<String> texts() {
            List<String> out = new ArrayList<>();
            if (value == null || value.isNull() || value.isObject()) return out;
            if (value.isArray()) value.forEach(v -> out.add(v.asText()));
            else out.add(value.asText());
            return out;
        }

        String text() {
            return String.join("\\", texts());
        }
    }

    record Report(List<Element> elements, List<String> methodCodes) {
        Optional<Element> top(String keyword) {
            return elements.stream().filter(e -> e.path().equals(keyword)).findFirst();
        }

        /** The top-level value, "" when present but empty, null when absent. */
        String text(String keyword) {
            return top(keyword).map(Element::text).orElse(null);
        }
    }

    private PlantedIdentifiers() {
    }

    static Planted plant(Path source, Path dir) {
        Path out = dir.resolve("planted-" + source.getFileName());
        return new Planted(out, parse(run("plant", source.toString(), out.toString())));
    }

    static Report report(byte[] instance) {
        try {
            Path file = Files.createTempFile("ich-deid-report", ".dcm");
            try {
                Files.write(file, instance);
                JsonNode json = parse(run("report", file.toString()));
                List<Element> elements = new ArrayList<>();
                for (JsonNode e : json.get("elements")) {
                    elements.add(new Element(e.get("path").asText(), e.get("tag").asText(), e.get("keyword").asText(),
                            e.get("vr").asText(), e.get("private").asBoolean(), e.get("value")));
                }
                List<String> codes = new ArrayList<>();
                json.get("methodCodes").forEach(c -> codes.add(c.asText()));
                return new Report(elements, codes);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("identifiers.py printed no JSON: " + json, e);
        }
    }

    private static String run(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString()));
        command.addAll(List.of(args));
        try {
            // stderr apart: pydicom's warnings must not mix into the JSON on stdout
            Path err = Files.createTempFile("ich-deid-report", ".err");
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            String errors = Files.readString(err);
            Files.deleteIfExists(err);
            if (!done || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed (python3-pydicom installed?): "
                        + out + errors);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
