package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Job template the chart renders for the training service: a strict batch/v1 Job with the trainer container,
 * the GPU pool's placement and limit, Kueue's label when a queue is set, credentials from the Secret only, and
 * mounted where the service reads it.
 */
class JobTemplateTest {

    @Test
    void gpuPoolWithKueueRendersTheJobTheLauncherExpects() {
        List<HasMetadata> all = Chart.render("gpu-kueue-values.yaml");
        Job job = JobTemplates.job(all);
        assertThat(job.getApiVersion()).isEqualTo("batch/v1");
        assertThat(job.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "ich-training");
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).containsEntry("ich.dev/pool", "gpu");
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(pod.getPriorityClassName()).isEqualTo("ich-training");
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getServiceAccountName()).isEqualTo("ich-trainer");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();

        Container trainer = pod.getContainers().stream().filter(c -> c.getName().equals("trainer")).findFirst().orElseThrow();
        assertThat(trainer.getImage()).isEqualTo("ghcr.io/ich/ich-trainer-gpu:0.1.0");
        assertThat(trainer.getCommand()).containsExactly("java", "-XX:MaxRAMPercentage=75", "-Dai.djl.offline=true", "-jar", "/app/ich-trainer.jar");
        assertThat(trainer.getArgs()).as("the service sets the args").isNullOrEmpty();
        assertThat(trainer.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(trainer.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(trainer.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/work", "/tmp");
        // Credentials only by reference: the service never writes secrets into a Job, the template must carry them.
        assertThat(trainer.getEnv()).filteredOn(e -> e.getName().startsWith("ICH_STORAGE_") && e.getName().endsWith("_KEY"))
                .hasSize(2).allSatisfy(e -> {
                    assertThat(e.getValue()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("ich-storage");
                });
        assertThat(trainer.getEnv()).extracting(e -> e.getName())
                .contains("KAFKA_BOOTSTRAP_SERVERS", "ICH_STORAGE_ENDPOINT", "ICH_STORAGE_BUCKET", "ICH_WORK_DIR");
    }

    @Test
    void withoutAQueueThereIsNoKueueLabelAndCpuTrainingHasNoGpuLimit() {
        List<HasMetadata> all = Manifests.parse(Chart.template(List.of(),
                java.util.Map.of("training.jobs.gpu.count", 0, "training.jobs.repository", "ich-trainer")));
        Job job = JobTemplates.job(all);
        assertThat(job.getMetadata().getLabels()).doesNotContainKey("kueue.x-k8s.io/queue-name");
        Container trainer = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(trainer.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(trainer.getImage()).endsWith("/ich-trainer:0.1.0");
    }

    @Test
    void theTrainingServiceReadsTheTemplateWhereTheChartMountsIt() {
        List<HasMetadata> all = Chart.render();
        Deployment training = Manifests.named(all, Deployment.class, "ich-training");
        var pod = training.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).anyMatch(v -> v.getConfigMap() != null && v.getConfigMap().getName().equals(JobTemplates.CONFIG_MAP));
        assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(JobTemplates.MOUNT_DIR));
        assertThat(Manifests.named(all, io.fabric8.kubernetes.api.model.ConfigMap.class, "ich-training").getData())
                .containsEntry("ICH_TRAINING_LAUNCHER", "kubernetes")
                .containsEntry("ICH_TRAINING_KUBERNETES_TEMPLATE", JobTemplates.MOUNT_DIR + "/" + JobTemplates.KEY)
                .containsEntry("ICH_TRAINING_KUBERNETES_NAMESPACE", Chart.NAMESPACE);
        assertThat(pod.getServiceAccountName()).isEqualTo("ich-training");
        // A changed template rolls the service, which reads it at each launch but checks it for readiness.
        assertThat(training.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("checksum/job-template");
    }
}
