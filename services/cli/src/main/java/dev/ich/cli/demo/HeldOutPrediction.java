package dev.ich.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.label.Label;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The demo's last step: each held-out study (phantoms of another seed, in nothing a model learnt from) through
 * inference's POST /predict/study, judged against the truth slice by slice and as a study.
 */
final class HeldOutPrediction {
    /** Slices right of those the drop rule keeps, studies right, and the per-study lines the demo prints. */
    record Result(int right, int judged, int studiesRight, int studies, List<String> details) {
    }

    private final ServiceApi inference;

    HeldOutPrediction(ServiceApi inference) {
        this.inference = inference;
    }

    /** Waits until inference serves the promoted version (the swap happens in the background after models-published). */
    void awaitServing(String name, String version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            ServiceApi.Answer a = inference.get("/v2/models/ich", 200, 404, 503);
            if (a.status() == 200 && a.body().path("parameters").path("model").asText().equals(name)
                    && a.body().path("versions").path(0).asText().equals(version)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StepFailure("inference did not serve " + name + "/" + version + " within 3 min after promotion (it serves: "
                        + a.body() + ")", inference.log().toString());
            }
            Thread.sleep(500); // the model loads and warms up in inference's background
        }
    }

    Result predict(PhantomSet heldOut) throws IOException {
        Map<String, List<SliceTruth>> byStudy = new TreeMap<>();
        for (SliceTruth t : heldOut.slices()) byStudy.computeIfAbsent(t.studyInstanceUid(), k -> new ArrayList<>()).add(t);
        int right = 0, judged = 0, studiesRight = 0;
        List<String> details = new ArrayList<>();
        for (Map.Entry<String, List<SliceTruth>> study : byStudy.entrySet()) {
            Map<String, SliceTruth> truth = study.getValue().stream().collect(Collectors.toMap(SliceTruth::sopInstanceUid, t -> t));
            JsonNode answer = inference.send(HttpRequest.newBuilder(URI.create(inference.url("/predict/study")))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=ICHDEMO")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(study.getValue()))), "POST /predict/study", 200).body();
            StringBuilder truthRow = new StringBuilder(), predictedRow = new StringBuilder();
            for (JsonNode slice : answer.path("slices")) {
                SliceTruth t = truth.get(slice.path("sopInstanceUid").asText());
                boolean bleeds = t != null && t.has(Label.ANY);
                boolean called = slice.path("probabilities").path("any").asDouble() >= 0.5;
                truthRow.append(bleeds ? '#' : '.');
                // Slices the drop rule removes (above the head, at the teeth) were never trained on: shown, not judged.
                if (!slice.path("brainWindow").path("passed").asBoolean(true)) {
                    predictedRow.append('-');
                    continue;
                }
                predictedRow.append(called ? '#' : '.');
                if (bleeds == called) right++;
                judged++;
            }
            boolean studyBleeds = study.getValue().stream().anyMatch(t -> t.has(Label.ANY));
            JsonNode any = answer.path("study").path("any");
            boolean studyCalled = any.path("probability").asDouble() >= 0.5;
            if (studyBleeds == studyCalled) studiesRight++;
            String subtypes = study.getValue().stream().flatMap(t -> t.labels().stream()).filter(l -> l != Label.ANY).distinct()
                    .map(Label::csvName).sorted().collect(Collectors.joining(", "));
            details.add(String.format(Locale.ROOT, "held-out study %s (%d slices, head to feet): truth %s; p(any) = %.2f -> %s",
                    shortUid(study.getKey()), study.getValue().size(), studyBleeds ? "bleed (" + subtypes + ")" : "no bleed",
                    any.path("probability").asDouble(), studyCalled ? "bleed" : "no bleed"));
            details.add("  truth     " + truthRow + "   (# bleeding slice)");
            details.add("  predicted " + predictedRow + "   (# p(any) >= 0.5; - dropped by the drop rule, not judged)");
        }
        return new Result(right, judged, studiesRight, byStudy.size(), details);
    }

    private static byte[] multipart(List<SliceTruth> slices) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (SliceTruth t : slices) {
            body.write("--ICHDEMO\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            body.write(Files.readAllBytes(t.file()));
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write("--ICHDEMO--\r\n".getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static String shortUid(String uid) {
        return uid.length() <= 16 ? uid : "..." + uid.substring(uid.length() - 12);
    }
}
