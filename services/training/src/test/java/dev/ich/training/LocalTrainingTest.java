package dev.ich.training;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.event.ModelPublished;
import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The local launcher runs the real trainer jar (services/trainer) as a child process on a tiny dataset in real S3,
 * its events arriving over real Kafka: a job trains to succeeded with its progress seen over server-sent events and
 * its model promoted; a spec the trainer rejects ends failed with the trainer's reason; a sweep of three seeds
 * reports mean and deviation; a cancelled job's process is gone.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class LocalTrainingTest {
    static final Duration TRAINING = Duration.ofSeconds(240);
    private static DatasetPublished dataset;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void dataset() throws Exception {
        if (dataset == null) dataset = TinyDataset.publish(S3TestResource.store(), "tiny");
    }

    /** A job spec within the trainer's smallest budget: two batches of four 32 px images per epoch. */
    static String spec(String id, String extra) {
        return "{\"id\": \"" + id + "\", \"dataset\": \"tiny@v1\", \"epochs\": 2, \"batchSize\": 4, \"maxBatches\": 2, \"workers\": 1,"
                + " \"augment\": false, \"optimizer\": \"sgd\", \"lr\": 0.01, \"schedule\": \"constant\"" + extra + "}";
    }

    static JsonPath submit(String body) {
        return RestAssured.given().contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(202)
                .header("Location", containsString("/jobs/")).extract().jsonPath();
    }

    static JsonPath awaitState(String id, String state) {
        await().atMost(TRAINING).pollInterval(Duration.ofMillis(500)).until(() -> {
            String now = RestAssured.get("/jobs/" + id).then().extract().path("state");
            if (List.of("succeeded", "failed", "cancelled", "interrupted").contains(now) && !now.equals(state)) {
                throw new AssertionError("job " + id + " ended " + now + " instead of " + state + ": " + RestAssured.get("/jobs/" + id).asString());
            }
            return state.equals(now);
        });
        return RestAssured.get("/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The job's server-sent events until the stream ends with the job. */
    CompletableFuture<List<String>> events(String id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString() + "jobs/" + id + "/events")).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + OidcTestResource.token("ich-trainer")).build();
        return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenApply(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body().toList();
        });
    }

    @Test
    void aJobTrainsToSucceededShowsItsProgressAndItsModelIsPromoted() throws Exception {
        try (TopicTap published = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.MODELS_PUBLISHED)) {
            JsonPath accepted = submit(spec("first", ", \"modelName\": \"tiny-model\""));
            assertThat(accepted.getString("id")).isEqualTo("first");
            assertThat(accepted.getString("state")).isEqualTo("pending");
            assertThat(accepted.getString("kind")).isEqualTo("train");
            assertThat(accepted.getString("startedAt")).as("when it was accepted").isNotNull();
            assertThat(accepted.getString("progress.unit")).isEqualTo("epochs");
            assertThat(accepted.getInt("progress.done")).isZero();
            assertThat(accepted.getInt("progress.total")).isEqualTo(2);
            CompletableFuture<List<String>> sse = events("first");

            JsonPath job = awaitState("first", "succeeded");
            List<String> lines = sse.get(30, TimeUnit.SECONDS);
            List<String> names = lines.stream().filter(l -> l.startsWith("event:")).map(l -> l.substring(6).trim()).toList();
            assertThat(names).as("the stream opens with the job, shows the trainer's events, ends with the job").first().isEqualTo("state");
            assertThat(names).contains("started", "epoch").containsAnyOf("progress", "epoch");
            assertThat(lines.stream().filter(l -> l.startsWith("data:")).reduce((a, b) -> b).orElseThrow()).contains("\"succeeded\"");
            assertThat(lines).anyMatch(l -> l.startsWith("data:") && l.contains("\"step\""));

            assertThat(job.getInt("details.epochs")).isEqualTo(2);
            assertThat(job.getInt("progress.done")).isEqualTo(2);
            assertThat(job.getInt("progress.total")).isEqualTo(2);
            assertThat(job.getString("startedAt")).isNotNull();
            assertThat(job.getString("details.trainingStartedAt")).isNotNull();
            assertThat(job.getString("finishedAt")).isNotNull();
            assertThat(job.getString("failure")).isNull();
            assertThat(job.getMap("details.metrics")).containsKeys("accuracy", "valid_loss", "auc_any");
            String modelKey = await().atMost(Duration.ofSeconds(30)).until(() -> RestAssured.get("/jobs/first").jsonPath().getString("details.modelKey"),
                    k -> k != null);
            assertThat(modelKey).isEqualTo("models/tiny-model/v1/");
            assertThat(RestAssured.get("/jobs?state=Succeeded").jsonPath().getList("id", String.class)).contains("first");
            assertThat(RestAssured.get("/jobs?state=running").jsonPath().getList("id", String.class)).doesNotContain("first");
            RestAssured.get("/jobs/first/report").then().statusCode(200).contentType(containsString("text/html"))
                    .body(containsString("<html"));
            RestAssured.get("/jobs/first/files/metrics.json").then().statusCode(200).body("epochs.size()", equalTo(2));
            RestAssured.get("/jobs/first/log").then().statusCode(200).body(containsString("completed"));

            JsonPath model = RestAssured.get("/models/tiny-model").then().statusCode(200).extract().jsonPath();
            assertThat(model.getString("versions[0].version")).isEqualTo("v1");
            assertThat(model.getString("versions[0].job")).isEqualTo("first");
            assertThat(model.getString("versions[0].dataset")).isEqualTo("tiny@v1");
            assertThat(model.getString("versions[0].pipeline")).isEqualTo(dataset.pipeline());
            assertThat(RestAssured.get("/models").jsonPath().getList("name", String.class)).contains("tiny-model");

            RestAssured.post("/models/tiny-model/versions/v1/promote").then().statusCode(200).body("version", equalTo("v1"))
                    .body("artifactKey", equalTo("models/tiny-model/v1/"));
            ObjectStore store = S3TestResource.store();
            ModelPublished pointer = Events.JSON.readValue(store.get(ObjectKeys.SERVING_MODEL), ModelPublished.class);
            assertThat(pointer.name()).isEqualTo("tiny-model");
            assertThat(pointer.preprocessing()).containsEntry("pipeline", dataset.pipeline());
            assertThat(pointer.metrics()).containsKey("accuracy");
            List<ConsumerRecord<String, String>> records = await().atMost(Duration.ofSeconds(20)).until(published::records,
                    r -> r.stream().anyMatch(x -> "tiny-model".equals(x.key())));
            ConsumerRecord<String, String> record = records.stream().filter(x -> "tiny-model".equals(x.key())).reduce((a, b) -> b).orElseThrow();
            assertThat(TopicTap.header(record, "ce_type")).isEqualTo(ModelPublished.TYPE);
            assertThat(Events.JSON.readValue(record.value(), ModelPublished.class).version()).isEqualTo("v1");
            assertThat(RestAssured.get("/models/tiny-model").jsonPath().getString("serving")).isEqualTo("v1");
        }
    }

    @Test
    void aCalibrateJobMakesTheNextVersionFromARegistryModelWithItsWeights() throws Exception {
        // given a trained model and a site's own labelled dataset of the same pipeline
        submit(spec("calib-source", ", \"modelName\": \"calib-model\"").replace("\"epochs\": 2", "\"epochs\": 1"));
        awaitState("calib-source", "succeeded");
        TinyDataset.publish(S3TestResource.store(), "tiny-site");
        String calibrate = "{\"id\": \"calib-site\", \"kind\": \"calibrate\", \"dataset\": \"tiny-site@v1\", \"batchSize\": 4, \"workers\": 1,"
                + " \"modelName\": \"calib-model\"";
        post(calibrate + "}", 422).body("field", equalTo("sourceModel")).body("detail", containsString("model:<name>/<version>"));
        post(calibrate + ", \"sourceModel\": \"model:calib-model/v7\"}", 422).body("field", equalTo("sourceModel"))
                .body("detail", containsString("no model calib-model/v7"));

        JsonPath accepted = submit(calibrate + ", \"sourceModel\": \"model:calib-model/v1\"}");
        assertThat(accepted.getString("kind")).isEqualTo("calibrate");
        awaitState("calib-site", "succeeded");
        String modelKey = await().atMost(Duration.ofSeconds(30)).until(() -> RestAssured.get("/jobs/calib-site").jsonPath()
                .getString("details.modelKey"), k -> k != null);
        assertThat(modelKey).isEqualTo("models/calib-model/v2/");

        // the registry lists it beside its source, which it names
        JsonPath model = RestAssured.get("/models/calib-model").then().statusCode(200).extract().jsonPath();
        assertThat(model.getList("versions.version", String.class)).containsExactly("v1", "v2");
        assertThat(model.getString("versions[0].sourceModel")).isNull();
        assertThat(model.getString("versions[1].sourceModel")).isEqualTo("model:calib-model/v1");
        assertThat(model.getString("versions[1].job")).isEqualTo("calib-site");
        assertThat(model.getString("versions[1].lineage.dataset")).isEqualTo("tiny-site@v1");
        ObjectStore store = S3TestResource.store();
        // fitted on all 24 slices of the site's dataset (both splits), with the source's temperature as "before"
        var stored = Events.JSON.readTree(store.get("models/calib-model/v2/model.json"));
        assertThat(stored.path("recalibration").path("slices").asInt()).isEqualTo(24);
        assertThat(stored.path("recalibration").path("labels").path("any").path("before").path("temperature").asDouble())
                .isEqualTo(model.getDouble("versions[0].calibration.temperature.any"), org.assertj.core.data.Offset.offset(1e-4));
        List<String> weights = java.util.stream.StreamSupport.stream(store.list("models/calib-model/v1/weights/").spliterator(), false)
                .map(o -> o.key()).toList();
        assertThat(weights).isNotEmpty();
        for (String key : weights) assertThat(store.get(key.replace("/v1/", "/v2/"))).as(key).isEqualTo(store.get(key));
        // its card breaks the site's slices down by scanner group
        JsonPath card = RestAssured.given().accept(ContentType.JSON).get("/models/calib-model/versions/v2/card").then().statusCode(200)
                .extract().jsonPath();
        assertThat(card.getList("subgroups.value", String.class)).contains("12 bit / unsigned", "16 bit / signed");
        assertThat(card.getList("subgroups.count", Integer.class).stream().mapToInt(Integer::intValue).sum()).isEqualTo(24);
        RestAssured.given().accept("text/html").get("/models/calib-model/versions/v2/card").then().statusCode(200)
                .body(containsString("Metrics by subgroup")).body(containsString("16 bit / signed"));
        RestAssured.get("/jobs/calib-site/report").then().statusCode(200).body(containsString("Before and after"));
    }

    @Test
    void aSpecTheTrainerRejectsEndsFailedWithItsReason() {
        submit(spec("wrong-size", ", \"imageSize\": 48"));
        post(spec("wrong-size", ""), 409).body("detail", containsString("exists already"));
        JsonPath job = awaitState("wrong-size", "failed");
        assertThat(job.getString("failure.detail")).contains("imageSize 48").contains("32 px");
        assertThat(job.getString("failure.code")).as("the trainer refused it, not the launcher").isEqualTo("TrainerFailed");
        assertThat(job.getInt("failure.status")).isEqualTo(500);
        assertThat(job.getString("finishedAt")).isNotNull();
    }

    @Test
    void aSweepOfThreeSeedsReportsMeanAndDeviation() {
        JsonPath accepted = submit(spec("sweep", ", \"kind\": \"sweep\", \"seeds\": 3, \"seed\": 5").replace("\"epochs\": 2", "\"epochs\": 1"));
        assertThat(accepted.getString("kind")).isEqualTo("sweep");
        assertThat(accepted.getList("details.runs.id", String.class)).containsExactly("sweep-s5", "sweep-s6", "sweep-s7");
        assertThat(accepted.getInt("progress.total")).as("one epoch for each of three seeds").isEqualTo(3);
        JsonPath job = awaitState("sweep", "succeeded");
        assertThat(job.getList("details.runs.state", String.class)).containsOnly("succeeded");
        assertThat(job.getInt("progress.done")).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).until(() -> RestAssured.get("/jobs/sweep").jsonPath().getInt("details.summary.accuracy.n") == 3);
        job = RestAssured.get("/jobs/sweep").jsonPath();
        List<Float> values = job.getList("details.summary.accuracy.values", Float.class);
        double mean = values.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
        double std = Math.sqrt(values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / 2);
        assertThat(job.getDouble("details.summary.accuracy.mean")).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(job.getDouble("details.summary.accuracy.std")).isCloseTo(std, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(job.getMap("details.summary")).containsKeys("valid_loss", "auc_any");
        RestAssured.get("/jobs/sweep/report").then().statusCode(200).body(containsString("mean")).body(containsString("sweep-s6"));
        RestAssured.get("/jobs/sweep-s6/report").then().statusCode(200).body(containsString("<html"));
        assertThat(RestAssured.get("/models").jsonPath().getList("name", String.class)).contains("tiny-seed5", "tiny-seed6", "tiny-seed7");
    }

    @Test
    void aCancelledJobEndsCancelledAndItsTrainerIsGone() {
        submit(spec("long", "").replace("\"epochs\": 2", "\"epochs\": 50"));
        awaitState("long", "running");
        long pid = Long.parseLong(RestAssured.get("/jobs/long").jsonPath().getString("details.runs[0].handle"));
        assertThat(ProcessHandle.of(pid)).isPresent();
        RestAssured.delete("/jobs/long").then().statusCode(200).body("state", equalTo("cancelled"))
                .body("message", containsString("DELETE")).body("finishedAt", org.hamcrest.Matchers.notNullValue());
        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        assertThat(RestAssured.get("/jobs/long").jsonPath().getString("state")).isEqualTo("cancelled");
        RestAssured.delete("/jobs/long").then().statusCode(200).body("state", equalTo("cancelled"));
    }

    @Test
    void poisonOnTrainingEventsIsDeadLetteredWithItsReason() throws Exception {
        try (TopicTap dead = new TopicTap(KafkaTestResource.bootstrapServers(), Topics.deadLetter(Topics.TRAINING_EVENTS));
             TopicTap.Producer producer = new TopicTap.Producer(KafkaTestResource.bootstrapServers())) {
            producer.send(Topics.TRAINING_EVENTS, "poison-1", "this is not json");
            producer.send(Topics.TRAINING_EVENTS, "poison-2", "{\"jobId\": \"poison-2\", \"kind\": \"exploded\"}");
            producer.send(Topics.TRAINING_EVENTS, "nobody", "{\"jobId\": \"nobody\", \"kind\": \"started\"}");
            List<ConsumerRecord<String, String>> records = await().atMost(Duration.ofSeconds(30)).until(dead::records, r -> r.size() >= 2);
            assertThat(records).extracting(ConsumerRecord::key).containsExactly("poison-1", "poison-2");
            assertThat(TopicTap.header(records.get(1), "dead-letter-reason")).contains("not a training event");
            assertThat(TopicTap.header(records.get(0), "dead-letter-reason")).isNotBlank();
        }
        RestAssured.get("/jobs/nobody").then().statusCode(404);
    }

    @Test
    void promotionIsRefusedWhenTheModelsPipelineIsNotTheCurrentOne() throws Exception {
        ObjectStore store = S3TestResource.store();
        store.put("models/same-pipeline/v1/model.json", model("same-pipeline", dataset.pipeline()), "application/json", Map.of());
        store.put("models/other-pipeline/v1/model.json", model("other-pipeline", "p0123456789ab"), "application/json", Map.of());
        RestAssured.post("/models/same-pipeline/versions/v1/promote").then().statusCode(200);
        RestAssured.post("/models/other-pipeline/versions/v1/promote").then().statusCode(409)
                .body("detail", containsString("pipeline p0123456789ab"))
                .body("detail", containsString("current pipeline is " + dataset.pipeline()))
                .body("detail", containsString("serving model same-pipeline v1"));
        assertThat(Events.JSON.readValue(store.get(ObjectKeys.SERVING_MODEL), ModelPublished.class).name()).isEqualTo("same-pipeline");
        RestAssured.post("/models/nothing/versions/v1/promote").then().statusCode(404).body("detail", containsString("no model nothing"));
    }

    private static byte[] model(String name, String pipeline) throws Exception {
        return Events.JSON.writeValueAsBytes(Map.of("name", name, "version", "v1", "architecture", "resnet18", "dataset", "tiny@v1",
                "metrics", Map.of("accuracy", 0.5), "preprocessing", Map.of("pipeline", pipeline)));
    }

    @Test
    void specsTheServiceRefusesAreFieldLevelErrors() {
        post("{\"dataset\": \"tiny@v1\", \"epoch\": 2}", 400).body("field", equalTo("epoch")).body("detail", containsString("epoch"));
        post("{\"dataset\": \"tiny@v1\", \"epochs\": \"two\"}", 400).body("field", equalTo("epochs"));
        post("{\"dataset\": \"tiny@v1\", \"epochs\": 0}", 422).body("field", equalTo("epochs"));
        post("{\"dataset\": \"tiny@v1\", \"epochs\": 1000}", 422).body("field", equalTo("epochs")).body("detail", containsString("1..100"));
        post("{\"dataset\": \"nothing@v1\"}", 422).body("field", equalTo("dataset")).body("detail", containsString("not published"));
        post("{\"dataset\": \"tiny\"}", 422).body("field", equalTo("dataset"));
        post("{\"dataset\": \"tiny@v1\", \"architecture\": \"vgg\"}", 422).body("field", equalTo("architecture"));
        post("{\"dataset\": \"tiny@v1\", \"kind\": \"predict\"}", 422).body("field", equalTo("kind"));
        post("{\"dataset\": \"tiny@v1\", \"kind\": \"sweep\"}", 422).body("field", equalTo("seeds"));
        post("{\"dataset\": \"tiny@v1\", \"seeds\": 3}", 422).body("field", equalTo("seeds"));
        post("{\"dataset\": \"tiny@v1\", \"batchSize\": 0}", 422).body("field", equalTo("batchSize"));
        post("{\"dataset\": \"tiny@v1\", \"id\": \"Not_A_Name\"}", 422).body("field", equalTo("id"));
        post("{\"dataset\": \"tiny@v1\", \"pretrained\": \"model:none/v9\"}", 422).body("field", equalTo("pretrained"));
        post("[1, 2]", 400);
        post("{\"dataset\": ", 400);
        RestAssured.get("/jobs?state=sleeping").then().statusCode(400).body("detail", containsString("pending"))
                .body("detail", containsString("interrupted"));
        RestAssured.get("/jobs/none").then().statusCode(404).body("detail", containsString("no job none"));
        assertThat(RestAssured.get("/jobs").jsonPath().getList("id", String.class)).doesNotContain("Not_A_Name");
    }

    @Test
    void pretrainedWeightsComeOnlyFromTheRegistryOrThePretrainedPrefix() throws Exception {
        java.nio.file.Path exists = java.nio.file.Files.createTempFile("ich-weights", ".pt");
        List<String> refused = List.of("/etc/shadow", "/etc/passwd", "/no/such/file.pt", exists.toString(), "file:" + exists,
                "../../etc/passwd", "pretrained/x.pt", "s3:" + ObjectKeys.datasetJson("tiny", "v1"), "s3:/pretrained/x.pt",
                "s3:pretrained/../datasets/tiny/v1/dataset.json", "s3:pretrained//x.pt", "model:../v1", "model:tiny/v1/x",
                "https://example.org/resnet18.pt");
        java.util.Set<String> details = new java.util.HashSet<>();
        for (String reference : refused) {
            String detail = post("{\"dataset\": \"tiny@v1\", \"pretrained\": \"" + reference + "\"}", 422)
                    .body("field", equalTo("pretrained")).extract().path("detail");
            details.add(detail.replace(reference, "<reference>"));
        }
        // the refusal depends on the form alone: the same words whether or not a file or object is there
        assertThat(details).hasSize(1);
        assertThat(details.iterator().next()).contains("model:<name>/<version>").contains("s3:pretrained/<file>");
        // the allowed forms are looked up, and only where they may come from
        post("{\"dataset\": \"tiny@v1\", \"pretrained\": \"s3:pretrained/none.pt\"}", 422).body("field", equalTo("pretrained"))
                .body("detail", containsString("upload the TorchScript file to the bucket as pretrained/none.pt"));
        post("{\"dataset\": \"tiny@v1\", \"pretrained\": \"model:none/v9\"}", 422).body("field", equalTo("pretrained"))
                .body("detail", containsString("no model none/v9"));
    }

    private static io.restassured.response.ValidatableResponse post(String body, int status) {
        return RestAssured.given().contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(status)
                .contentType("application/problem+json").body("status", equalTo(status));
    }
}
