package dev.ich.training;

import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.ChildServiceAdmin;
import dev.ich.testkit.EmbeddedBackends;
import dev.ich.testkit.QuarkusJar;
import dev.ich.testkit.ServiceProcess;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Job state lives in the bucket, and the packaged service proves it: given a finished job and one in the middle of
 * its epochs, when the service is stopped and started again, the finished (failed) job is there as it was and the
 * interrupted one is started again and resumes after its last checkpoint. Runs in {@code mvn verify} (failsafe),
 * after the jar is built.
 */
@ExtendWith(ChildServiceAdmin.class)
class RestartIT {
    private static final Path TRAINER = Path.of(System.getProperty("ich.trainer.jar", "../trainer/target/ich-trainer.jar"));

    @Test
    void aRestartedServiceKeepsItsJobsAndResumesTheOneThatWasRunning() throws Exception {
        try (EmbeddedBackends backends = EmbeddedBackends.start("ich-training-restart")) {
            Path work = backends.work();
            ObjectStore store = backends.store();
            TinyDataset.publish(store, "tiny");
            JsonPath finished;
            JsonPath interrupted;
            try (QuarkusJar service = training(work.resolve("trainers")).start(backends, "first.log")) {
                RestAssured.baseURI = service.url();
                // side by side: one the trainer refuses at once, one still in its epochs when the service stops
                submit(LocalTrainingTest.spec("done", ", \"imageSize\": 48"));
                submit(LocalTrainingTest.spec("interrupted", "").replace("\"epochs\": 2", "\"epochs\": 40"));
                awaitState("done", "failed");
                finished = RestAssured.get("/jobs/done").jsonPath();
                await().atMost(LocalTrainingTest.TRAINING).until(() -> RestAssured.get("/jobs/interrupted").jsonPath().getMap("details.metrics") != null);
                interrupted = RestAssured.get("/jobs/interrupted").jsonPath();
                await().atMost(Duration.ofSeconds(10)).until(() -> new String(store.get("jobs/interrupted/state.json")).contains("\"accuracy\""));
            }
            assertThat(store.stat("jobs/interrupted/state.json")).isPresent();

            try (QuarkusJar again = training(work.resolve("trainers")).start(backends, "second.log")) {
                RestAssured.baseURI = again.url();
                JsonPath done = RestAssured.get("/jobs/done").then().statusCode(200).extract().jsonPath();
                assertThat(done.getString("state")).isEqualTo("failed");
                assertThat(done.getString("failure.detail")).isEqualTo(finished.getString("failure.detail")).contains("imageSize 48");
                assertThat(done.getString("failure.code")).isEqualTo(finished.getString("failure.code"));
                assertThat(done.getString("finishedAt")).isEqualTo(finished.getString("finishedAt"));
                JsonPath resumed = RestAssured.get("/jobs/interrupted").jsonPath();
                assertThat(resumed.getString("startedAt")).isEqualTo(interrupted.getString("startedAt"));
                assertThat(resumed.getString("details.trainingStartedAt")).isNotNull()
                        .isEqualTo(interrupted.getString("details.trainingStartedAt"));
                assertThat(resumed.getMap("details.runs[0].history")).as("epochs seen before the restart").containsKey("0");
                assertThat(resumed.getInt("progress.done")).as("epochs seen before the restart").isPositive();
                assertThat(RestAssured.get("/jobs").jsonPath().getList("id", String.class)).containsExactlyInAnyOrder("done", "interrupted");

                // the interrupted trainer was stopped with the service; started again, it resumes after its checkpoint
                await().atMost(LocalTrainingTest.TRAINING).until(() -> Files.readString(work.resolve("trainers/logs/interrupted.log"))
                        .contains("resuming after the checkpoint of epoch"));
                assertThat(RestAssured.get("/jobs/interrupted").jsonPath().getString("state")).isEqualTo("running");
                RestAssured.delete("/jobs/interrupted").then().statusCode(200);
                assertThat(again.log()).contains("2 jobs rebuilt from storage");
            }
        }
    }

    /** A local-launcher service whose trainers work (and log) in {@code trainers}. */
    private static ServiceProcess training(Path trainers) {
        return ServiceProcess.of("training").withJvmOption("-Xmx512m")
                .withPath("ICH_TRAINING_LOCAL_TRAINER_JAR", TRAINER)
                .withPath("ICH_TRAINING_LOCAL_WORK_DIRECTORY", trainers)
                .withEnv("ICH_TRAINING_LOCAL_JAVA_OPTIONS", "-Xmx768m");
    }

    private static void submit(String body) {
        RestAssured.given().contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(202);
    }

    private static void awaitState(String id, String state) {
        await().atMost(LocalTrainingTest.TRAINING).until(() -> state.equals(RestAssured.get("/jobs/" + id).jsonPath().getString("state")));
    }
}
