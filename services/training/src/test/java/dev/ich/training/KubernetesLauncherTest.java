package dev.ich.training;

import dev.ich.core.event.Events;
import dev.ich.core.training.JobSpec;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The Kubernetes launcher against fabric8's mock API server in CRUD mode (no cluster runs here): the Job it creates
 * carries the template's GPU node pool, tolerations, limits and service account plus the job's labels and limits;
 * Kueue's queue label makes it suspended; changes of the Job and its pods, made here as the Job controller, the
 * scheduler and Kueue would make them, move the job's state; cancelling deletes the Job.
 */
@QuarkusTest
@TestProfile(KubernetesLauncherTest.OnKubernetes.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class KubernetesLauncherTest {
    static final String NS = "ich-jobs";

    public static class OnKubernetes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ich.training.launcher", "kubernetes", "ich.training.kubernetes.namespace", NS,
                    "ich.training.kubernetes.queue-name", "gpu-queue", "ich.training.kubernetes.poll-interval", "200ms");
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @BeforeEach
    void dataset() throws Exception {
        if (S3TestResource.store().stat("datasets/tiny/v1/dataset.json").isEmpty()) TinyDataset.publish(S3TestResource.store(), "tiny");
    }

    private KubernetesClient k8s() {
        return server.getClient();
    }

    private static void submit(String body) {
        RestAssured.given().contentType(ContentType.JSON).body(body).post("/jobs").then().statusCode(202);
    }

    /** Waits for the job's state; {@code reasonPart}: in its message (pending, cancelled) or its failure's detail (failed). */
    private static io.restassured.path.json.JsonPath awaitJob(String id, String state, String reasonPart) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var job = RestAssured.get("/jobs/" + id).then().statusCode(200).extract().jsonPath();
            assertThat(job.getString("state")).isEqualTo(state);
            String reason = "failed".equals(state) ? job.getString("failure.detail") : job.getString("message");
            if (reasonPart != null) assertThat(reason).contains(reasonPart);
        });
        return RestAssured.get("/jobs/" + id).jsonPath();
    }

    private Job job(String name) {
        return k8s().batch().v1().jobs().inNamespace(NS).withName(name).get();
    }

    @Test
    void theJobCarriesTheTemplateAndTheJobAndFollowsKueueTheSchedulerAndTheJobController() throws Exception {
        submit("{\"id\": \"k8s-train\", \"dataset\": \"tiny@v1\", \"epochs\": 3, \"retries\": 4, \"maxDurationSeconds\": 7200}");
        Job job = job("ich-k8s-train");
        assertThat(job).as("the Kubernetes Job").isNotNull();

        // the template's: GPU node pool, tolerations, GPU limit, service account, credentials from a Secret
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).containsEntry("cloud.google.com/gke-accelerator", "nvidia-tesla-t4");
        assertThat(pod.getTolerations()).anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()) && "NoSchedule".equals(t.getEffect()));
        assertThat(pod.getServiceAccountName()).isEqualTo("ich-trainer");
        Container trainer = pod.getContainers().stream().filter(c -> c.getName().equals("trainer")).findFirst().orElseThrow();
        assertThat(trainer.getResources().getLimits().get("nvidia.com/gpu").toString()).isEqualTo("1");
        assertThat(trainer.getEnvFrom()).anyMatch(e -> e.getSecretRef() != null && "ich-storage".equals(e.getSecretRef().getName()));
        assertThat(trainer.getImage()).isEqualTo("ghcr.io/ich/ich-trainer-gpu:0.1.0");
        // the job's: identity, owner metadata, limits, arguments, endpoints
        assertThat(job.getMetadata().getLabels()).containsEntry("ich.dev/job-id", "k8s-train").containsEntry("ich.dev/job-kind", "train")
                .containsEntry("app.kubernetes.io/managed-by", "ich-training").containsEntry("app.kubernetes.io/name", "ich")
                .containsEntry("kueue.x-k8s.io/queue-name", "gpu-queue");
        assertThat(job.getMetadata().getAnnotations()).containsKey("ich.dev/submitted-at").containsEntry("ich.dev/runs", "k8s-train");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("ich.dev/job-id", "k8s-train");
        assertThat(job.getSpec().getSuspend()).as("created suspended: Kueue admits it").isTrue();
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(4);
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(7200L);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(604800);
        assertThat(job.getSpec().getCompletions()).isEqualTo(1);
        assertThat(trainer.getArgs()).containsExactly("run", "--spec-key", "jobs/k8s-train/spec.json");
        assertThat(trainer.getEnv()).extracting(EnvVar::getName).contains("ICH_WORK_DIR", "KAFKA_BOOTSTRAP_SERVERS", "ICH_STORAGE_ENDPOINT",
                "ICH_STORAGE_BUCKET", "ICH_JOB_ID").doesNotContain("ICH_STORAGE_SECRET_KEY");
        JobSpec stored = Events.JSON.readValue(S3TestResource.store().get("jobs/k8s-train/spec.json"), JobSpec.class);
        assertThat(stored.epochs()).isEqualTo(3);
        assertThat(stored.batchSize()).as("resolved: defaults filled in").isEqualTo(32);

        awaitJob("k8s-train", "pending", "waiting for Kueue to admit Job ich-k8s-train in queue gpu-queue");

        // Kueue admits it; the Job controller makes a pod the scheduler cannot place
        k8s().batch().v1().jobs().inNamespace(NS).withName("ich-k8s-train").edit(j -> {
            j.getSpec().setSuspend(false);
            return j;
        });
        k8s().pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("ich-k8s-train-abcde").withNamespace(NS)
                .addToLabels("batch.kubernetes.io/job-name", "ich-k8s-train").endMetadata()
                .withNewSpec().addNewContainer().withName("trainer").withImage("x").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.").endCondition()
                .endStatus().build()).create();
        awaitJob("k8s-train", "pending", "Unschedulable: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.");

        // a GPU node appears: the pod runs
        k8s().pods().inNamespace(NS).withName("ich-k8s-train-abcde").editStatus(p -> {
            p.getStatus().setPhase("Running");
            p.getStatus().setConditions(List.of());
            return p;
        });
        awaitJob("k8s-train", "running", null);

        // the pod is killed again and again: the Job controller gives up
        k8s().batch().v1().jobs().inNamespace(NS).withName("ich-k8s-train").editStatus(j -> {
            j.setStatus(new JobStatusBuilder().withFailed(5).addToConditions(new JobConditionBuilder().withType("Failed").withStatus("True")
                    .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit").build()).build());
            return j;
        });
        var failed = awaitJob("k8s-train", "failed", "BackoffLimitExceeded (Job has reached the specified backoff limit)");
        assertThat(failed.getString("failure.code")).as("the trainer ran and failed, out of retries").isEqualTo("TrainerFailed");
        assertThat(failed.getList("details.runs.failure", String.class)).containsExactly("TrainerFailed");
    }

    @Test
    void aSweepIsOneIndexedJobAndCompletes() throws Exception {
        submit("{\"id\": \"k8s-sweep\", \"kind\": \"sweep\", \"seeds\": [11, 12, 13], \"dataset\": \"tiny@v1\", \"epochs\": 2}");
        Job job = job("ich-k8s-sweep");
        assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(job.getSpec().getCompletions()).isEqualTo(3);
        assertThat(job.getSpec().getParallelism()).isEqualTo(3);
        assertThat(job.getMetadata().getLabels()).containsEntry("ich.dev/job-kind", "sweep");
        Container trainer = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(trainer.getArgs()).containsExactly("run", "--spec-key", "jobs/k8s-sweep/runs/$(JOB_COMPLETION_INDEX).json");
        for (int i = 0; i < 3; i++) {
            JobSpec run = Events.JSON.readValue(S3TestResource.store().get("jobs/k8s-sweep/runs/" + i + ".json"), JobSpec.class);
            assertThat(run.seed()).isEqualTo(11L + i);
            assertThat(run.id()).isEqualTo("k8s-sweep-s" + (11 + i));
            assertThat(run.modelName()).isEqualTo("tiny-seed" + (11 + i));
        }
        k8s().batch().v1().jobs().inNamespace(NS).withName("ich-k8s-sweep").editStatus(j -> {
            j.setStatus(new JobStatusBuilder().withSucceeded(3).addToConditions(new JobConditionBuilder().withType("Complete")
                    .withStatus("True").build()).build());
            return j;
        });
        awaitJob("k8s-sweep", "succeeded", null);
        assertThat(RestAssured.get("/jobs/k8s-sweep").jsonPath().getList("details.runs.state", String.class)).containsOnly("succeeded");
    }

    @Test
    void cancellingDeletesTheJob() {
        submit("{\"id\": \"k8s-cancel\", \"dataset\": \"tiny@v1\"}");
        assertThat(job("ich-k8s-cancel")).isNotNull();
        RestAssured.delete("/jobs/k8s-cancel").then().statusCode(200).body("state", equalTo("cancelled"));
        await().atMost(Duration.ofSeconds(10)).until(() -> job("ich-k8s-cancel") == null);
        awaitJob("k8s-cancel", "cancelled", "DELETE");
    }

    @Test
    void aJobDeletedBehindTheServicesBackFails() {
        submit("{\"id\": \"k8s-gone\", \"dataset\": \"tiny@v1\"}");
        k8s().batch().v1().jobs().inNamespace(NS).withName("ich-k8s-gone").delete();
        var gone = awaitJob("k8s-gone", "failed", "deleted outside the training service");
        assertThat(gone.getString("failure.code")).as("lost, not failed by the trainer: submitting again is the remedy").isEqualTo("RunLost");
    }
}
