package dev.ich.training.launch;

import dev.ich.deploy.Chart;
import dev.ich.deploy.JobTemplates;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's rendered Job template through the training service's own KubernetesLauncher: it accepts it (the
 * readiness check) and builds from it the Job it would create, keeping the chart's placement. Compiled only when
 * services/training is in the tree (the with-training profile of this module's pom); no API server is contacted.
 */
class ChartJobTemplateLauncherTest {
    @TempDir
    Path dir;

    @Test
    void theLauncherAcceptsTheChartsTemplateAndKeepsTheGpuPoolPlacement() throws Exception {
        Path template = dir.resolve(JobTemplates.KEY);
        Files.writeString(template, JobTemplates.yaml(Chart.render("gpu-kueue-values.yaml")));
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").withNamespace("ich").build()).build()) {
            KubernetesLauncher launcher = new KubernetesLauncher(client, template, Optional.of("ich"), Optional.empty(),
                    KubernetesLauncher.defaultTrainerEnv("ignored:9092", "http://ignored:9000", "ich"), Duration.ofHours(1));
            try {
                assertThat(launcher.notReadyReason()).as("the launcher's own check of the template").isNull();
                Launch launch = new Launch("first", "train", false,
                        List.of(new Launch.RunLaunch("first", "jobs/first/spec.json", null)), Launch.Options.DEFAULTS);
                Job job = launcher.build(launch);

                assertThat(job.getMetadata().getName()).isEqualTo(JobLabels.jobName("first"));
                // The chart's queue label makes the launcher create the Job suspended for Kueue.
                assertThat(job.getMetadata().getLabels()).containsEntry(JobLabels.KUEUE_QUEUE, "ich-training");
                assertThat(job.getSpec().getSuspend()).isTrue();
                var pod = job.getSpec().getTemplate().getSpec();
                assertThat(pod.getNodeSelector()).containsEntry("ich.dev/pool", "gpu");
                assertThat(pod.getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
                var trainer = pod.getContainers().get(0);
                assertThat(trainer.getArgs()).containsExactly("run", "--spec-key", "jobs/first/spec.json");
                assertThat(trainer.getResources().getLimits()).containsKey("nvidia.com/gpu");
                // The chart's endpoints win over the service's defaults; credentials stay Secret references.
                Map<String, String> plain = new java.util.HashMap<>();
                trainer.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> plain.put(e.getName(), e.getValue()));
                assertThat(plain).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "ich-kafka-bootstrap.ich.svc:9092")
                        .containsEntry("ICH_JOB_ID", "first").doesNotContainKeys("ICH_STORAGE_ACCESS_KEY", "ICH_STORAGE_SECRET_KEY");
            } finally {
                launcher.shutdown();
            }
        }
    }
}
