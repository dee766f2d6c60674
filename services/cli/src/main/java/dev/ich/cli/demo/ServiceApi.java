package dev.ich.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.cli.ProblemText;
import dev.ich.cli.auth.Credentials;
import dev.ich.core.event.Events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * JSON over HTTP to one service of the stack, through its public API only. An answer other than the expected
 * statuses becomes a {@link StepFailure} with the service's own reason and the service's log.
 */
final class ServiceApi {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String service;
    private final String base;
    private final Path log;
    private final Credentials credentials;

    ServiceApi(String service, String base, Path log, Credentials credentials) {
        this.service = service;
        this.base = base;
        this.log = log;
        this.credentials = credentials;
    }

    Credentials credentials() {
        return credentials;
    }

    String base() {
        return base;
    }

    String url(String path) {
        return base + path;
    }

    Path log() {
        return log;
    }

    record Answer(int status, JsonNode body) {
    }

    /** GETs {@code path} with this API's token into {@code file}: a report a browser can open without one. */
    Path save(String path, Path file) {
        return save(path, file, "*/*");
    }

    /** As {@link #save(String, Path)}, asking for {@code accept} (a page that is also served as JSON). */
    Path save(String path, Path file, String accept) {
        try {
            Files.createDirectories(file.getParent());
            HttpResponse<Path> r = HTTP.send(credentials.apply(HttpRequest.newBuilder(URI.create(base + path))).timeout(Duration.ofMinutes(2))
                    .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofFile(file));
            if (r.statusCode() != 200) {
                String body = Files.readString(file);
                Files.deleteIfExists(file);
                throw new StepFailure(service + " answered " + r.statusCode() + " to GET " + path + ": " + body, log.toString());
            }
            return file;
        } catch (IOException e) {
            throw new StepFailure("cannot save " + base + path + " to " + file + ": " + e.getMessage(), log.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted while saving " + base + path, null, e);
        }
    }

    Answer get(String path, int... expected) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), "GET " + path, expected);
    }

    Answer post(String path, Object json, int... expected) {
        try {
            String body = json instanceof String s ? s : Events.JSON.writeValueAsString(json);
            return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)), "POST " + path, expected);
        } catch (IOException e) {
            throw new StepFailure("cannot write the request for " + service + ": " + e.getMessage(), null, e);
        }
    }

    Answer send(HttpRequest.Builder request, String what, int... expected) {
        HttpResponse<String> r;
        try {
            r = HTTP.send(credentials.apply(request).timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StepFailure(service + " did not answer " + what + " at " + base + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is it running? ./ich status", log.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted while waiting for " + service, null, e);
        }
        JsonNode body;
        try {
            body = r.body().isBlank() ? Events.JSON.createObjectNode() : Events.JSON.readTree(r.body());
        } catch (IOException e) {
            body = null;
        }
        if (Arrays.stream(expected).noneMatch(s -> s == r.statusCode())) {
            String reason = ProblemText.of(body, r.body());
            throw new StepFailure(service + " answered " + r.statusCode() + " to " + what + ": " + reason, log.toString());
        }
        return new Answer(r.statusCode(), body == null ? Events.JSON.createObjectNode() : body);
    }
}
