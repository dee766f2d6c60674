package dev.ich.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.cli.auth.Credentials;
import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import dev.ich.core.event.Events;
import dev.ich.core.label.Label;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/** `ich bench labels`: an RSNA-sized label file through POST /labels of a running labeling service. */
@Command(name = "labels", description = {"Write a synthetic label CSV the size of RSNA stage 2 (752,803 slices x 6 = 4.5 million "
        + "lines, ~14%% positive), upload it to a running labeling service, print the time and lines per second, then delete "
        + "the label version it created (so it never becomes the latest)."})
final class BenchLabelsCommand implements Callable<Integer> {
    @Option(names = "--slices", defaultValue = "752803", description = "Slices in the file (default: ${DEFAULT-VALUE}).")
    int slices;

    @Option(names = "--to", paramLabel = "URL", description = "Labeling base URL (default: LABELING_URL of the running local stack).")
    String to;

    @Override
    public Integer call() throws Exception {
        Map<String, String> stack = new LocalStack(StackLayout.fromSystem(), System.err).readStackEnv();
        String base = to != null ? to : stack.getOrDefault("LABELING_URL", "http://127.0.0.1:8083");
        // Imports a version and deletes it again: deleting label versions is ich-admin's.
        Credentials admin = Credentials.forStack(stack, "ich-admin");
        Path file = Files.createTempFile("ich-bench-labels", ".csv");
        try {
            SplittableRandom random = new SplittableRandom(1);
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
                out.write("ID,Label\n");
                for (int i = 0; i < slices; i++) {
                    String id = "ID_" + String.format("%09x", 0x10000000L + i);
                    boolean any = random.nextDouble() < 0.14;
                    int subtype = random.nextInt(Label.SUBTYPES.size());
                    for (Label l : Label.values()) {
                        boolean v = l == Label.ANY ? any : any && l.ordinal() == subtype;
                        out.write(id + "_" + l.csvName() + "," + (v ? 1 : 0) + "\n");
                    }
                }
            }
            System.out.printf(Locale.ROOT, "file: %,d lines, %,d bytes%n", 6L * slices + 1, Files.size(file));
            long t0 = System.nanoTime();
            HttpResponse<String> response = LabelsCommand.post(base, file, admin);
            double seconds = (System.nanoTime() - t0) / 1e9;
            JsonNode r = Events.JSON.readTree(response.body());
            if (response.statusCode() != 201) {
                System.err.println("bench labels: refused (" + response.statusCode() + "): " + ProblemText.of(response.body()));
                return 1;
            }
            System.out.printf(Locale.ROOT, "import: %.1f s end to end (%.1f s inside the service), %,.0f lines/s; version %d%n",
                    seconds, r.path("seconds").asDouble(), 6.0 * slices / seconds, r.path("version").asInt());
            HttpResponse<String> deleted = HttpClient.newHttpClient().send(admin.apply(HttpRequest.newBuilder(URI.create(base + "/labels/"
                    + r.path("version").asInt()))).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            System.out.println(deleted.statusCode() == 204 ? "benchmark version deleted" : "could not delete the benchmark version: "
                    + deleted.statusCode() + " " + ProblemText.of(deleted.body()));
            return 0;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
