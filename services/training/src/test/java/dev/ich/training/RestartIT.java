package dev.ich.training;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import dev.ich.testkit.DefaultBearer;
import dev.ich.testkit.EmbeddedKafka;
import dev.ich.testkit.EmbeddedS3;
import dev.ich.testkit.QuarkusJar;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Job state lives in the bucket, and the packaged service proves it: given a finished job and one in the middle of
 * its epochs, when the service is stopped and started again, the finished (failed) job is there as it was and the
 * interrupted one is started again and resumes after its last checkpoint. Runs in {@code mvn verify} (failsafe),
 * after the jar is built.
 */
class RestartIT {
    /** The child services trust QuarkusJar's issuer; every call of this test carries an ich-admin token from it. */
    private static DefaultBearer admin;

    @BeforeAll
    static void asAdmin() {
        admin = DefaultBearer.install(QuarkusJar.token("ich-admin"));
    }

    @AfterAll
    static void anonymousAgain() {
        admin.uninstall();
    }

    @Test
    void aRestartedServiceKeepsItsJobsAndResumesTheOneThatWasRunning() throws Exception {
        Path work = Files.createTempDirectory("ich-training-restart");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, false);
             EmbeddedS3 s3 = EmbeddedS3.start(work.resolve("s3"), 0)) {
            kafka.createTopics(List.of(Topics.all()), Set.of(Topics.SLICES_CLEANED), 2);
            StorageSettings storage = new StorageSettings(s3.endpoint(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, ObjectKeys.DEFAULT_BUCKET);
            ObjectStore store = new ObjectStore(storage);
            store.ensureBucket();
            TinyDataset.publish(store, "tiny");
            JsonPath finished;
            JsonPath interrupted;
            try (QuarkusJar service = ServiceProcess.start(kafka.bootstrapServers(), storage, work.resolve("trainers"), work.resolve("first.log"))) {
                RestAssured.baseURI = service.url();
                // side by side: one the trainer refuses at once, one still in its epochs when the service stops
                submit(LocalTrainingTest.spec("done", ", \"imageSize\": 48"));
                submit(LocalTrainingTest.spec("interrupted", "").replace("\"epochs\": 2", "\"epochs\": 40"));
                awaitState("done", "Failed");
                finished = RestAssured.get("/jobs/done").jsonPath();
                await().atMost(LocalTrainingTest.TRAINING).until(() -> RestAssured.get("/jobs/interrupted").jsonPath().getMap("metrics") != null);
                interrupted = RestAssured.get("/jobs/interrupted").jsonPath();
                await().atMost(Duration.ofSeconds(10)).until(() -> new String(store.get("jobs/interrupted/state.json")).contains("\"accuracy\""));
            }
            assertThat(store.stat("jobs/interrupted/state.json")).isPresent();

            try (QuarkusJar again = ServiceProcess.start(kafka.bootstrapServers(), storage, work.resolve("trainers"), work.resolve("second.log"))) {
                RestAssured.baseURI = again.url();
                JsonPath done = RestAssured.get("/jobs/done").then().statusCode(200).extract().jsonPath();
                assertThat(done.getString("state")).isEqualTo("Failed");
                assertThat(done.getString("reason")).isEqualTo(finished.getString("reason")).contains("imageSize 48");
                assertThat(done.getString("finishedAt")).isEqualTo(finished.getString("finishedAt"));
                JsonPath resumed = RestAssured.get("/jobs/interrupted").jsonPath();
                assertThat(resumed.getString("startedAt")).isEqualTo(interrupted.getString("startedAt"));
                assertThat(resumed.getMap("runs[0].history")).as("epochs seen before the restart").containsKey("0");
                assertThat(RestAssured.get("/jobs").jsonPath().getList("id", String.class)).containsExactlyInAnyOrder("done", "interrupted");

                // the interrupted trainer was stopped with the service; started again, it resumes after its checkpoint
                await().atMost(LocalTrainingTest.TRAINING).until(() -> Files.readString(work.resolve("trainers/logs/interrupted.log"))
                        .contains("resuming after the checkpoint of epoch"));
                assertThat(RestAssured.get("/jobs/interrupted").jsonPath().getString("state")).isEqualTo("Running");
                RestAssured.delete("/jobs/interrupted").then().statusCode(200);
                assertThat(again.log()).contains("2 jobs rebuilt from storage");
            }
        }
    }

    private static void submit(String body) {
        RestAssured.given().contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(202);
    }

    private static void awaitState(String id, String state) {
        await().atMost(LocalTrainingTest.TRAINING).until(() -> state.equals(RestAssured.get("/jobs/" + id).jsonPath().getString("state")));
    }
}
