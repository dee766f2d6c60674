package dev.ich.deploy;

import dev.ich.core.contract.Topics;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kustomization under k8s/ renders with kubectl, into objects that parse strictly; each resource has one home. */
class KustomizeTest {

    static Stream<String> kustomizations() throws IOException {
        try (Stream<Path> files = Files.walk(Repo.k8s())) {
            return files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .map(p -> Repo.k8s().relativize(p.getParent()).toString()).sorted().toList().stream();
        }
    }

    static List<HasMetadata> kustomize(String dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "kustomize", Repo.k8s().resolve(dir).toString())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize k8s/%s: %s", dir, err).isZero();
        return Manifests.parse(out);
    }

    @ParameterizedTest(name = "k8s/{0}")
    @MethodSource("kustomizations")
    void rendersIntoStrictlyParsedObjects(String dir) throws Exception {
        List<HasMetadata> all = kustomize(dir);
        assertThat(all).isNotEmpty();
        for (HasMetadata r : all) {
            if (!r.getKind().equals("Namespace") && !r.getKind().startsWith("Cluster") && !r.getKind().equals("ResourceFlavor")
                    && !r.getKind().equals("PriorityClass")) {
                assertThat(r.getMetadata().getNamespace()).as("%s %s", r.getKind(), r.getMetadata().getName()).isEqualTo("ich");
            }
        }
        for (Deployment d : Manifests.ofType(all, Deployment.class)) {
            var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        }
    }

    @Test
    void everyTopicOfCoreHasItsKafkaTopicAndSlicesCleanedIsCompacted() throws Exception {
        Map<String, GenericKubernetesResource> topics = new HashMap<>();
        for (HasMetadata r : kustomize("kafka")) {
            if (r.getKind().equals("KafkaTopic")) topics.put(r.getMetadata().getName(), (GenericKubernetesResource) r);
        }
        assertThat(topics.keySet()).containsAll(List.of(Topics.all()));
        for (String t : Topics.all()) {
            assertThat(topics).containsKey(Topics.deadLetter(t.replaceAll("-dlq$", "")));
        }
        for (var t : topics.values()) {
            assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "ich");
            assertThat((Object) t.get("spec", "topicName")).isEqualTo(t.getMetadata().getName());
            assertThat(((Number) t.get("spec", "partitions")).intValue()).isPositive();
        }
        assertThat((Object) topics.get(Topics.SLICES_CLEANED).get("spec", "config", "cleanup.policy")).isEqualTo("compact");
        assertThat((Object) topics.get(Topics.DICOM_INGESTED).get("spec", "config", "cleanup.policy")).isNull();
    }

    @Test
    void theChartDefaultsPointAtWhatK8sCreates() throws Exception {
        List<HasMetadata> eval = kustomize("overlays/evaluation");
        // Strimzi names the bootstrap Service <cluster>-kafka-bootstrap; the chart's default is ich-kafka-bootstrap.ich.svc:9092.
        assertThat(eval).anySatisfy(r -> {
            assertThat(r.getKind()).isEqualTo("Kafka");
            assertThat(r.getMetadata().getName()).isEqualTo("ich");
        });
        assertThat(eval).anySatisfy(r -> {
            assertThat(r.getKind()).isEqualTo("Secret");
            assertThat(r.getMetadata().getName()).isEqualTo("ich-storage");
            assertThat(((io.fabric8.kubernetes.api.model.Secret) r).getData()).containsKeys("access-key", "secret-key");
        });
        assertThat(eval).anySatisfy(r -> {
            assertThat(r.getKind()).isEqualTo("Service");
            assertThat(r.getMetadata().getName()).isEqualTo("minio");
        });
        List<HasMetadata> gpu = kustomize("overlays/gpu-pool");
        assertThat(gpu).anySatisfy(r -> {
            assertThat(r.getKind()).isEqualTo("LocalQueue");
            assertThat(r.getMetadata().getName()).isEqualTo("ich-training");
        });
        assertThat(gpu).anySatisfy(r -> {
            assertThat(r.getKind()).isEqualTo("PriorityClass");
            assertThat(r.getMetadata().getName()).isEqualTo("ich-training");
        });
    }

    @Test
    void eachResourceHasOneHome() throws Exception {
        Map<String, String> home = new HashMap<>();
        for (String dir : List.of("namespace", "kafka", "minio", "overlays/gpu-pool")) {
            if (dir.startsWith("overlays")) continue;
            for (HasMetadata r : kustomize(dir)) {
                String id = r.getKind() + "/" + r.getMetadata().getName();
                assertThat(home.put(id, dir)).as("%s defined in k8s/%s and k8s/%s", id, home.get(id), dir).isNull();
            }
        }
        // Overlays add only their own files: what they render beyond their bases is defined once, in them.
        List<HasMetadata> gpu = kustomize("overlays/gpu-pool");
        assertThat(gpu.size()).isEqualTo(kustomize("overlays/evaluation").size() + 4);
    }

    @Test
    void theRealDataOverlayOnlyGrowsTheBucketsVolume() throws Exception {
        // the RSNA files, their cleaned PNGs and shards need ~900 GB (docs/real-data.md); the evaluation claim is 200Gi
        List<HasMetadata> eval = kustomize("overlays/evaluation");
        List<HasMetadata> real = kustomize("overlays/real-data");
        assertThat(claim(eval)).isEqualTo(new Quantity("200Gi"));
        assertThat(claim(real)).isEqualTo(new Quantity("1Ti"));
        assertThat(real).extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(eval.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList());
    }

    private static Quantity claim(List<HasMetadata> all) {
        return Manifests.named(all, PersistentVolumeClaim.class, "minio").getSpec().getResources().getRequests().get("storage");
    }
}
