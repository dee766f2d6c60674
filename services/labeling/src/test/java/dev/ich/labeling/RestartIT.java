package dev.ich.labeling;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.SliceCleaned;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.ChildServiceAdmin;
import dev.ich.testkit.CleanedPhantoms;
import dev.ich.testkit.EmbeddedBackends;
import dev.ich.testkit.QuarkusJar;
import dev.ich.testkit.ServiceProcess;
import dev.ich.testkit.TopicTap;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The table is a derived store, and the packaged service (quarkus-run.jar) proves it: given a phantom cohort
 * on the compacted slices-cleaned topic, a service killed with SIGKILL and started again on the same database
 * file resumes where its table stopped (nothing lost, nothing read twice, rows published while it was down
 * arrive), and a service on a fresh file rebuilds the table from the beginning of the topic and the label
 * versions from object storage, and numbers new label and dataset versions above every number ever given, deleted
 * versions too. Runs in {@code mvn verify} (failsafe), after the jar is built.
 */
@ExtendWith(ChildServiceAdmin.class)
class RestartIT {
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    @Test
    void killedItResumesWhereTheTableStoppedAndAFreshVolumeRebuildsItself() throws Exception {
        try (EmbeddedBackends backends = EmbeddedBackends.start("ich-labeling-restart")) {
            Path work = backends.work();
            CleanedPhantoms cohort = CleanedPhantoms.create(backends.store(),
                    PhantomOptions.of(4, 23).withSlicesPerStudy(8).withSize(128), 64);
            List<SliceCleaned> events = cohort.events();
            List<String> everyUid = events.stream().map(SliceCleaned::sopInstanceUid).toList();
            List<SliceCleaned> before = events.subList(0, events.size() / 2);
            List<SliceCleaned> whileDown = events.subList(events.size() / 2, events.size());
            List<SliceCleaned> republished = before.subList(0, 4);
            Path volume = work.resolve("volume/labeling.duckdb");

            try (TopicTap.Producer producer = new TopicTap.Producer(backends.kafkaBootstrap())) {
                publish(producer, before);

                // Given a service that has read the first half into its table, when it is killed...
                Map<String, String> updatedAtKill;
                QuarkusJar first = labeling(volume).start(backends, "first.log");
                try {
                    String url = first.url();
                    await().atMost(CATCH_UP).until(() -> total(url) == before.size());
                    updatedAtKill = updatedAt(url);
                } finally {
                    first.kill();
                }
                assertThat(updatedAtKill.keySet()).containsExactlyInAnyOrderElementsOf(
                        before.stream().map(SliceCleaned::sopInstanceUid).toList());

                // ...and the rest of the cohort, plus a new record for slices it already has, arrives while it is down...
                publish(producer, whileDown);
                publish(producer, republished);

                // ...then, started on the same file, it reads exactly what it has not read yet.
                try (QuarkusJar second = labeling(volume).start(backends, "second.log")) {
                    String url = second.url();
                    await().atMost(CATCH_UP).untilAsserted(() -> {
                        Map<String, String> now = updatedAt(url);
                        assertThat(now.keySet()).containsExactlyInAnyOrderElementsOf(everyUid);
                        for (SliceCleaned e : republished) {
                            assertThat(now.get(e.sopInstanceUid())).as("re-published " + e.sopInstanceUid())
                                    .isNotEqualTo(updatedAtKill.get(e.sopInstanceUid()));
                        }
                    });
                    assertThat(total(url)).isEqualTo(events.size());
                    Map<String, String> after = updatedAt(url);
                    for (SliceCleaned e : before.subList(republished.size(), before.size())) {
                        assertThat(after.get(e.sopInstanceUid())).as("written before the kill and not read again: " + e.sopInstanceUid())
                                .isEqualTo(updatedAtKill.get(e.sopInstanceUid()));
                    }
                    assertThat(second.log()).contains("slices-cleaned-0: resuming at offset").contains("where the database stopped");

                    // Labels uploaded to this volume...
                    JsonPath report = RestAssured.given().baseUri(url).contentType("text/csv")
                            .body(Files.readAllBytes(cohort.labelsCsv())).post("/labels")
                            .then().statusCode(201).extract().jsonPath();
                    assertThat(report.getInt("version")).isEqualTo(1);
                    assertThat(report.getLong("slices")).isEqualTo(events.size());
                }
            }

            // ...and a service on a fresh volume: the table from the beginning of the topic, the labels from storage.
            try (QuarkusJar fresh = labeling(work.resolve("fresh/labeling.duckdb")).start(backends, "fresh.log")) {
                String url = fresh.url();
                await().atMost(CATCH_UP).until(() -> total(url) == events.size());
                assertThat(updatedAt(url).keySet()).containsExactlyInAnyOrderElementsOf(everyUid);
                assertThat(fresh.log()).contains(Topics.SLICES_CLEANED + "-0: the database has nothing from it yet",
                        Topics.SLICES_CLEANED + "-1: the database has nothing from it yet");
                // At start, not at the first request about labels.
                await().atMost(Duration.ofSeconds(10)).until(() -> fresh.log().contains("label version 1 restored from storage"));
                JsonPath versions = RestAssured.given().baseUri(url).get("/labels").then().statusCode(200).extract().jsonPath();
                assertThat(versions.getList("version", Integer.class)).containsExactly(1);
                assertThat(versions.getLong("[0].slices")).isEqualTo(events.size());
                assertThat(RestAssured.given().baseUri(url).queryParam("labels", "latest").queryParam("limit", 1).get("/slices")
                        .then().statusCode(200).extract().jsonPath().getLong("total")).as("every row joins its restored labels")
                        .isEqualTo(events.size());

                // A dataset frozen from label version 1, then removed from the bucket (as a failed build or an operator
                // removes one), and label version 1 deleted: their numbers must stay taken after a restart.
                assertThat(publishDataset(url, 1)).isEqualTo("restart@v1");
                ObjectStore store = backends.store();
                for (var o : store.list(ObjectKeys.dataset("restart", "v1"))) store.delete(o.key());
                RestAssured.given().baseUri(url).delete("/labels/1").then().statusCode(204);
            }

            // ...so a service on yet another fresh volume, which sees neither, still numbers above both.
            try (QuarkusJar again = labeling(work.resolve("again/labeling.duckdb")).start(backends, "again.log")) {
                String url = again.url();
                await().atMost(CATCH_UP).until(() -> total(url) == events.size());
                int labels = RestAssured.given().baseUri(url).contentType("text/csv").body(Files.readAllBytes(cohort.labelsCsv()))
                        .post("/labels").then().statusCode(201).extract().jsonPath().getInt("version");
                assertThat(labels).as("label version 1 was deleted; its number is not given again").isEqualTo(2);
                assertThat(publishDataset(url, labels)).as("restart@v1 was removed; its number is not given again").isEqualTo("restart@v2");
            }
        }
    }

    /** A service whose table lives in {@code database}: the same file is the same volume, a new file a fresh one. */
    private static ServiceProcess labeling(Path database) {
        return ServiceProcess.of("labeling").withPath("ICH_LABELING_DATABASE", database)
                .withPath("ICH_LABELING_WORK_DIRECTORY", database.resolveSibling(database.getFileName() + ".work"));
    }

    /** Freezes dataset {@code restart} from the label version and waits until it is published; its id. */
    private static String publishDataset(String url, int labels) {
        String id = RestAssured.given().baseUri(url).contentType("application/json")
                .body("{\"name\": \"restart\", \"labels\": " + labels + ", \"balance\": \"none\"}").post("/datasets")
                .then().statusCode(202).extract().jsonPath().getString("id");
        await().atMost(CATCH_UP).until(() -> RestAssured.given().baseUri(url).get("/datasets/" + id).then().statusCode(200).extract().<String>path("state").matches("succeeded|failed|interrupted"));
        RestAssured.given().baseUri(url).get("/datasets/" + id).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("succeeded"));
        return id;
    }

    private static void publish(TopicTap.Producer producer, List<SliceCleaned> events) throws Exception {
        for (SliceCleaned e : events) producer.sendJson(Topics.SLICES_CLEANED, e.sopInstanceUid(), e);
    }

    private static long total(String url) {
        return RestAssured.given().baseUri(url).queryParam("limit", 1).get("/slices")
                .then().statusCode(200).extract().jsonPath().getLong("total");
    }

    /** uid to the time its row was last written; fails on a uid that has two rows. */
    private static Map<String, String> updatedAt(String url) {
        List<Map<String, String>> rows = RestAssured.given().baseUri(url).queryParam("limit", 1000)
                .queryParam("columns", "uid,updated_at").get("/slices").then().statusCode(200).extract().jsonPath().getList("rows");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> row : rows) {
            assertThat(out.put(row.get("uid"), row.get("updated_at"))).as("a second row for " + row.get("uid")).isNull();
        }
        return out;
    }
}
