package dev.ich.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault-injection suite (issue 18): the packaged services on real Kafka and S3, killed with SIGKILL while they
 * work (ingest during a STOW-RS upload, cleaning while it cleans, labeling during a label import and during a dataset
 * build, training during a job), and the broker and the storage taken away in both orders while uploads go on. After
 * each fault {@code ./ich up} brings back what is dead, and the suite counts: every instance a client was told is
 * stored is in the bucket, every stored instance has exactly one row in labeling's table and, when kept, one PNG, no
 * instance was announced under two event ids, and while a dependency was down clients got a 503 with a reason, never a
 * hang. The methods run in order on one stack; each leaves the stack whole for the next.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Long enough for any step on a loaded 2-core CI machine; a step that takes longer has hung. */
    private static final Duration SETTLE = Duration.ofMinutes(4);

    @TempDir
    static Path state;
    private static LocalStackRun stack;
    private static StackState counts;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void up() throws Exception {
        stack = new LocalStackRun(state);
        Path out = state.resolve("up.txt");
        int status = stack.ich(out, 6, "up");
        assertThat(status).as(Files.readString(out)).isZero();
        counts = new StackState(stack);
        for (String batch : List.of("a", "b", "c", "d", "e")) {
            // 4 studies x 12 slices per batch, each batch its own seed (and so its own patients and UIDs)
            stack.run("phantoms", "--out", state.resolve("phantoms-" + batch).toString(), "--studies", "4", "--seed",
                    Integer.toString(100 + batch.charAt(0)), "--slices-per-study", "12");
        }
    }

    @AfterAll
    static void down() throws Exception {
        if (stack != null) stack.ich(state.resolve("down.txt"), 3, "down");
    }

    @Test
    @Order(1)
    void ingestKilledDuringAnUploadLosesNothingItAcknowledged() throws Exception {
        Path out = state.resolve("send-a-1.txt");
        Process send = stack.start(out, "send", phantoms("a").toString(), "--batch", "4", "--parallel", "1");
        awaitThat("ingest stored part of batch a", () -> counts.rawSops().size() >= 8 || !send.isAlive());
        stack.kill("ingest");
        assertThat(send.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).as("the sender ended (never hangs) once ingest died").isTrue();
        Set<String> acknowledged = counts.journalled();
        bringBack("ingest");

        assertThat(counts.rawSops()).as("every instance acknowledged before the kill is stored").containsAll(acknowledged);
        String second = stack.run("send", phantoms("a").toString());
        assertThat(second).contains("failed 0");
        awaitSettled("after ingest's kill");
        assertThat(counts.rawSops()).containsAll(counts.sopsOf(phantoms("a")));
    }

    @Test
    @Order(2)
    void cleaningKilledWhileItCleansLeavesOneRowAndOnePngPerSlice() throws Exception {
        int before = counts.pngs();
        Process send = stack.start(state.resolve("send-b.txt"), "send", phantoms("b").toString(), "--batch", "4", "--parallel", "1");
        awaitThat("cleaning wrote batch b's first PNG", () -> counts.pngs() > before || !send.isAlive());
        stack.kill("cleaning");
        assertThat(send.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(send.exitValue()).as(Files.readString(state.resolve("send-b.txt"))).isZero();
        bringBack("cleaning");
        awaitSettled("after cleaning's kill");
        assertThat(counts.rawSops()).containsAll(counts.sopsOf(phantoms("b")));
    }

    @Test
    @Order(3)
    void labelingKilledDuringALabelImportKeepsWhatItAcknowledged() throws Exception {
        String curator = stack.token("ich-curator");
        CompletableFuture<HttpResponse<String>> upload = HTTP.sendAsync(HttpRequest.newBuilder(labeling("/labels"))
                .header("Authorization", "Bearer " + curator).header("Content-Type", "text/csv")
                .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofFile(labelsCsv("a"))).build(), HttpResponse.BodyHandlers.ofString());
        stack.kill("labeling");
        Integer acknowledgedVersion = null;
        try {
            HttpResponse<String> r = upload.join();
            if (r.statusCode() == 201) acknowledgedVersion = JSON.readTree(r.body()).path("version").asInt();
        } catch (RuntimeException connectionLost) {
            // the kill cut the request: not acknowledged, so nothing is owed
        }
        bringBack("labeling");
        curator = stack.token("ich-curator");
        if (acknowledgedVersion != null) {
            HttpResponse<String> kept = get(labeling("/labels/" + acknowledgedVersion), curator);
            assertThat(kept.statusCode()).as("label version %d was acknowledged before the kill: %s", acknowledgedVersion, kept.body())
                    .isEqualTo(200);
        }
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(labeling("/labels")).header("Authorization", "Bearer " + curator)
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(labelsCsv("a"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        awaitSettled("after labeling's kill during the label import");
    }

    @Test
    @Order(4)
    void labelingKilledDuringADatasetBuildEndsTheBuildWithAReasonAndABuildAfterwardsPublishes() throws Exception {
        String curator = stack.token("ich-curator");
        String first = submitDataset(curator, "faults-killed");
        stack.kill("labeling");
        bringBack("labeling");
        curator = stack.token("ich-curator");
        JsonNode ended = awaitDataset(first, curator);
        assertThat(ended.path("state").asText()).as("the killed build is published (resumed), or interrupted or failed with a"
                + " reason: %s", ended).isIn("succeeded", "interrupted", "failed");
        if (!ended.path("state").asText().equals("succeeded")) assertThat(ended.path("failure").path("detail").asText()).isNotBlank();
        JsonNode second = awaitDataset(submitDataset(curator, "faults-after"), curator);
        assertThat(second.path("state").asText()).as(second.toString()).isEqualTo("succeeded");
    }

    @Test
    @Order(5)
    void trainingKilledDuringAJobEndsTheJobWithAReasonOrFinishesIt() throws Exception {
        String curator = stack.token("ich-curator");
        String dataset = awaitDataset(submitDataset(curator, "faults-training"), curator).path("id").asText();
        String trainer = stack.token("ich-trainer");
        Map<String, Object> spec = Map.of("id", "faults-killed", "dataset", dataset, "epochs", 1, "batchSize", 8, "optimizer", "sgd",
                "lr", 0.01, "modelName", "faults");
        HttpResponse<String> submitted = post(training("/jobs"), trainer, spec);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String id = JSON.readTree(submitted.body()).path("id").asText();
        awaitThat("job " + id + " runs", () -> !jobState(id, trainer).equals("pending"));
        stack.kill("training");
        bringBack("training");
        String afterwards = stack.token("ich-trainer");
        awaitThat("job " + id + " ended after training's kill", () -> Set.of("succeeded", "failed", "cancelled", "interrupted")
                .contains(jobState(id, afterwards)));
        JsonNode job = JSON.readTree(get(training("/jobs/" + id), afterwards).body());
        // an operation (docs/operations.md): why it failed is its failure's detail, why it was cancelled its message
        String why = job.path("failure").hasNonNull("detail") ? job.path("failure").path("detail").asText() : job.path("message").asText("");
        if (!job.path("state").asText().equals("succeeded")) assertThat(why).as(job.toString()).isNotBlank();
    }

    @Test
    @Order(6)
    void brokerThenStorageGoneAndStorageBackFirstLosesAndDoublesNothing() throws Exception {
        stack.kill("kafka");
        // with the broker gone ingest still stores, and announces once the broker is back (its outbox)
        assertThat(stack.run("send", phantoms("c").toString())).contains("failed 0");
        stack.kill("s3");
        assertRefusedWithReason("storage and broker down");
        bringBack("s3");
        assertThat(stack.process("kafka")).as("kafka stays down while storage comes back").isEmpty();
        bringBack("kafka");
        awaitSettled("after the broker and storage outage");
        assertThat(counts.rawSops()).containsAll(counts.sopsOf(phantoms("c")));
    }

    @Test
    @Order(7)
    void storageThenBrokerGoneAndBrokerBackFirstLosesAndDoublesNothing() throws Exception {
        stack.kill("s3");
        assertRefusedWithReason("storage down");
        Process send = stack.start(state.resolve("send-d-outage.txt"), "send", phantoms("d").toString());
        assertThat(send.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).as("a sender with storage gone ends (never hangs)").isTrue();
        stack.kill("kafka");
        bringBack("kafka");
        bringBack("s3");
        assertThat(stack.run("send", phantoms("d").toString())).contains("failed 0");
        awaitSettled("after the storage and broker outage");
        assertThat(counts.rawSops()).containsAll(counts.sopsOf(phantoms("d")));
    }

    @Test
    @Order(8)
    void inTheEndEveryInstanceHasOneRowOnePngAndOneEventId() throws Exception {
        assertThat(stack.run("send", phantoms("e").toString())).contains("failed 0");
        awaitSettled("at the end");
        Set<String> sent = new HashSet<>();
        for (String b : List.of("a", "b", "c", "d", "e")) sent.addAll(counts.sopsOf(phantoms(b)));
        assertThat(counts.rawSops()).isEqualTo(sent);
        StackState.Events events = counts.ingestedEvents();
        assertThat(events.keys()).as("every stored instance was announced").containsAll(sent);
        assertThat(events.keysWithSeveralIds()).as("instances announced under more than one CloudEvents id").isEmpty();
    }

    // --- helpers ---

    /** {@code ./ich up COMPONENT}: brings back exactly that component (what is dead among its dependencies too). */
    private static void bringBack(String component) throws Exception {
        Path out = state.resolve("up-" + component + "-" + System.nanoTime() + ".txt");
        int status = stack.ich(out, 5, "up", component);
        assertThat(status).as("./ich up %s printed:%n%s", component, Files.readString(out)).isZero();
        assertThat(stack.process(component)).as("%s runs again", component).isPresent();
    }

    /** The pipeline has caught up: every stored instance is a row of labeling's table, every kept row has its PNG. */
    private static void awaitSettled(String when) {
        String reader = stack.token("ich-reader");
        awaitThat("the pipeline settles " + when, () -> {
            int raw = counts.rawSops().size();
            long rows = total("/slices?limit=1", reader);
            long kept = total("/slices?limit=1&kept=true", reader);
            return rows == raw && kept == counts.pngs();
        });
        long rows = total("/slices?limit=1", reader);
        assertThat(rows).as("labeling's table has exactly one row per stored instance " + when).isEqualTo(counts.rawSops().size());
    }

    /** A STOW-RS upload while a dependency is down: a 503 problem with a reason, answered rather than hanging. */
    private static void assertRefusedWithReason(String situation) throws Exception {
        Path one;
        try (Stream<Path> files = Files.walk(phantoms("e"))) {
            one = files.filter(f -> f.toString().endsWith(".dcm")).findFirst().orElseThrow();
        }
        String boundary = "ich-faults";
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes();
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes();
        byte[] dicom = Files.readAllBytes(one);
        byte[] body = new byte[head.length + dicom.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(dicom, 0, body, head.length, dicom.length);
        System.arraycopy(tail, 0, body, head.length + dicom.length, tail.length);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.endpoints().get("INGEST_URL") + "/studies"))
                .header("Authorization", "Bearer " + stack.token("ich-uploader"))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("STOW-RS with %s: %s", situation, r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(r.body()).path("detail").asText()).as(r.body()).isNotBlank();
    }

    private static String submitDataset(String curator, String name) throws Exception {
        HttpResponse<String> latest = get(labeling("/labels"), curator);
        assertThat(latest.statusCode()).as(latest.body()).isEqualTo(200);
        int version = 0;
        for (JsonNode v : JSON.readTree(latest.body())) version = Math.max(version, v.path("version").asInt());
        String pipeline = JSON.readTree(get(labeling("/slices?limit=1"), curator).body()).path("rows").path(0).path("pipeline").asText();
        Map<String, Object> request = Map.of("name", name, "labels", version, "task", "any", "pipeline", pipeline,
                "split", Map.of("by", "patient", "valid", 0.25, "seed", 7));
        HttpResponse<String> r = post(labeling("/datasets"), curator, request);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("id").asText();
    }

    private static JsonNode awaitDataset(String id, String curator) throws Exception {
        JsonNode[] last = new JsonNode[1];
        awaitThat("dataset " + id + " ends", () -> {
            HttpResponse<String> r = get(labeling("/datasets/" + id), curator);
            last[0] = read(r.body());
            return r.statusCode() == 200 && last[0].path("state").asText().matches("succeeded|failed|cancelled|interrupted");
        });
        return last[0];
    }

    private static String jobState(String id, String token) {
        return read(get(training("/jobs/" + id), token).body()).path("state").asText();
    }

    private static long total(String path, String token) {
        HttpResponse<String> r = get(labeling(path), token);
        if (r.statusCode() != 200) return -1;
        return read(r.body()).path("total").asLong(-1);
    }

    private static HttpResponse<String> get(URI uri, String token) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> post(URI uri, String token, Object body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("unparsed", body);
        }
    }

    private static URI labeling(String path) {
        return endpoint("LABELING_URL", path);
    }

    private static URI training(String path) {
        return endpoint("TRAINING_URL", path);
    }

    private static URI endpoint(String name, String path) {
        try {
            return URI.create(stack.endpoints().get(name) + path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path phantoms(String batch) {
        return state.resolve("phantoms-" + batch);
    }

    private static Path labelsCsv(String batch) throws IOException {
        try (Stream<Path> files = Files.walk(phantoms(batch))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow();
        }
    }

    /** Polls a condition the stack reaches on its own (nothing to subscribe to from outside); fails with the logs' tails. */
    private static void awaitThat(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) return;
            } catch (RuntimeException notYet) {
                // a service restarting answers nothing yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(what + ": not within " + SETTLE.toMinutes() + " min; " + counts.describe());
    }
}
