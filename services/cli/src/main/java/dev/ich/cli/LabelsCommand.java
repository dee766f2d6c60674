package dev.ich.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.cli.auth.Credentials;
import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import dev.ich.core.event.Events;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** `ich labels FILE.csv`: posts an RSNA label file to labeling and prints the import report. */
@Command(name = "labels", description = {"Upload an RSNA label CSV (ID,Label; ID_<slice>_<label>,<0|1>) to the labeling "
        + "service. It becomes a new label version; the report lists every kind of problem found, with examples.",
        "Exit status: 0 when imported (problems are reported, not fatal), 1 when refused, 2 for a wrong command line."})
final class LabelsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The label CSV, e.g. stage_2_train.csv or a phantom set's labels.csv.")
    Path file;

    @Option(names = "--to", paramLabel = "URL", description = "Labeling base URL (default: LABELING_URL of the running local stack, else http://127.0.0.1:8083).")
    String to;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            System.err.println("labels: " + file + " is not a file");
            return 2;
        }
        Map<String, String> stack = new LocalStack(StackLayout.fromSystem(), System.err).readStackEnv();
        String base = to != null ? to : stack.getOrDefault("LABELING_URL", "http://127.0.0.1:8083");
        System.err.printf(Locale.ROOT, "labels: uploading %s (%,d bytes) to %s ...%n", file, Files.size(file), base);
        long t0 = System.nanoTime();
        HttpResponse<String> response = post(base, file, Credentials.forStack(stack, "ich-curator"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode body = Events.JSON.readTree(response.body().isBlank() ? "{}" : response.body());
        if (response.statusCode() != 201) {
            System.err.println("labels: refused (" + response.statusCode() + "): " + ProblemText.of(body, response.body()));
            return 1;
        }
        print(body, seconds, System.out);
        return 0;
    }

    static HttpResponse<String> post(String base, Path file, Credentials credentials) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = credentials.apply(HttpRequest.newBuilder(URI.create(base + "/labels?source="
                        + java.net.URLEncoder.encode(file.getFileName().toString(), java.nio.charset.StandardCharsets.UTF_8))))
                .header("Content-Type", "text/csv").timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach labeling at " + base + " (is the stack up? ./ich up)", e);
        }
    }

    static void print(JsonNode r, double seconds, PrintStream out) {
        out.printf(Locale.ROOT, "label version %d: %,d slices with all six labels (%,d with a bleed) from %,d lines, %,d exact "
                        + "duplicates ignored; %.1f s%n", r.path("version").asInt(), r.path("slices").asLong(), r.path("positives").asLong(),
                r.path("rows").asLong(), r.path("duplicates").asLong(), seconds);
        if (r.path("problems").isEmpty()) {
            out.println("no problems");
            return;
        }
        for (JsonNode p : r.path("problems")) {
            out.printf(Locale.ROOT, "%,9d %s%n", p.path("count").asLong(), p.path("meaning").asText());
            for (JsonNode ex : p.path("examples")) out.println("            e.g. " + ex.asText());
        }
    }
}
