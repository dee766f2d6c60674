package dev.ich.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.cli.stack.LocalPacs;
import dev.ich.core.event.Events;
import dev.ich.core.label.Label;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's closing step: the held-out studies arrive through the DICOM door (C-STORE, as a CT scanner or PACS would
 * send them), ingest announces each once it is complete, inference triages it with no call by hand, and its SR and
 * heatmap captures land in the local PACS (Orthanc, when installed) or stay in the bucket. Judged against the truth:
 * a flagged study should be a bleeding one.
 */
final class DoorToPacs {
    /** How long one study may take from its last C-STORE to its triage: the stable age (10 s in the stack) plus the work. */
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    record Result(int studies, int triaged, int flagged, int flaggedRight, int callsRight, int resultObjects, int inPacs,
                  boolean pacs, List<String> details) {
    }

    private final ServiceApi inference;
    private final Ingestion door;
    private final Map<String, String> stackEnv;
    private final LocalPacs pacs;
    private final HttpClient http = HttpClient.newHttpClient();

    DoorToPacs(ServiceApi inference, Ingestion door, Map<String, String> stackEnv, LocalPacs pacs) {
        this.inference = inference;
        this.door = door;
        this.stackEnv = stackEnv;
        this.pacs = pacs;
    }

    Result run(PhantomSet heldOut, Path worklistFile) throws Exception {
        Map<String, List<SliceTruth>> byStudy = new TreeMap<>();
        for (SliceTruth t : heldOut.slices()) byStudy.computeIfAbsent(t.studyInstanceUid(), k -> new ArrayList<>()).add(t);
        for (List<SliceTruth> study : byStudy.values()) {
            Ingestion.Outcome sent = door.cStore(study.stream().map(SliceTruth::file).toList());
            if (sent.failed() > 0) {
                throw new StepFailure(sent.failed() + " held-out instances were refused at the DICOM door", inference.log().toString());
            }
        }
        boolean toPacs = stackEnv.containsKey("ORTHANC_URL");
        int triaged = 0, flagged = 0, flaggedRight = 0, callsRight = 0, objects = 0, inPacs = 0;
        List<String> details = new ArrayList<>();
        for (Map.Entry<String, List<SliceTruth>> study : byStudy.entrySet()) {
            JsonNode entry = await(study.getKey());
            boolean bleeds = study.getValue().stream().anyMatch(t -> t.has(Label.ANY));
            String outcome = entry.path("outcome").asText();
            if (!outcome.equals("predicted")) {
                details.add(String.format(Locale.ROOT, "held-out study %s: not triaged (%s): %s", shortUid(study.getKey()), outcome,
                        entry.path("reason").asText()));
                continue;
            }
            triaged++;
            boolean isFlagged = entry.path("flagged").asBoolean();
            if (isFlagged) flagged++;
            if (isFlagged && bleeds) flaggedRight++;
            if (isFlagged == bleeds) callsRight++;
            List<String> sops = new ArrayList<>();
            entry.path("results").forEach(k -> sops.add(sopOf(k.asText())));
            objects += sops.size();
            int arrived = toPacs ? awaitInPacs(sops) : 0;
            inPacs += arrived;
            double threshold = entry.path("operatingPoint").path("thresholds").path("any").asDouble(Double.NaN);
            details.add(String.format(Locale.ROOT, "held-out study %s: truth %s; p(any) = %.3f, threshold %.3f -> %s; %d result objects%s",
                    shortUid(study.getKey()), bleeds ? "bleed" : "no bleed", entry.path("probabilityAny").asDouble(), threshold,
                    isFlagged ? "FLAGGED" : "not flagged", sops.size(), toPacs ? ", " + arrived + " in Orthanc" : " in the bucket"));
        }
        inference.save("/triage", worklistFile, "text/html");
        return new Result(byStudy.size(), triaged, flagged, flaggedRight, callsRight, objects, inPacs, toPacs, details);
    }

    /** The study's worklist entry, once inference has triaged it. */
    private JsonNode await(String study) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            ServiceApi.Answer a = inference.get("/triage/" + study, 200, 404);
            if (a.status() == 200) return a.body();
            if (System.nanoTime() > deadline) {
                throw new StepFailure("study " + study + " was sent through C-STORE but not triaged within " + PATIENCE.toMinutes()
                        + " min (ingest announces a study once no instance came for its stable age; see both logs)", inference.log().toString());
            }
            Thread.sleep(1_000); // ingest waits for the study's stable age, then inference triages: nothing to subscribe to from here
        }
    }

    /** How many of {@code sops} Orthanc holds, waiting up to a minute for the export to deliver them. */
    private int awaitInPacs(List<String> sops) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        int found = 0;
        while (System.nanoTime() < deadline) {
            found = 0;
            for (String sop : sops) if (inPacs(sop)) found++;
            if (found == sops.size()) return found;
            Thread.sleep(1_000); // the export outbox sends in the background and retries
        }
        return found;
    }

    private boolean inPacs(String sop) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stackEnv.get("ORTHANC_URL") + "/tools/lookup"))
                .header("Authorization", pacs.authorization()).POST(HttpRequest.BodyPublishers.ofString(sop)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) return false;
        JsonNode found = Events.JSON.readTree(r.body());
        return found.isArray() && !found.isEmpty();
    }

    /** {@code results/<study>/<series>/<sop>.dcm} to its SOP Instance UID. */
    static String sopOf(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.endsWith(".dcm") ? name.substring(0, name.length() - 4) : name;
    }

    private static String shortUid(String uid) {
        return uid.length() <= 16 ? uid : "..." + uid.substring(uid.length() - 12);
    }
}
