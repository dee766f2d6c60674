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

    /** The audit trail (issue 16): CloudEvents from every service, kept by age only. */
    static final String AUDIT = "audit";

    @Test
    void everyTopicOfCoreHasItsKafkaTopicAndSlicesCleanedIsCompacted() throws Exception {
        Map<String, GenericKubernetesResource> topics = new HashMap<>();
        for (HasMetadata r : kustomize("kafka")) {
            if (r.getKind().equals("KafkaTopic")) topics.put(r.getMetadata().getName(), (GenericKubernetesResource) r);
        }
        assertThat(topics.keySet()).containsAll(List.of(Topics.all()));
        for (String t : Topics.all()) {
            if (t.equals(AUDIT)) continue; // produced only: nothing consumes it that could dead-letter a record
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
    void theAuditTopicIsAppendOnlyAndOutlivesAYearsInspectionCycle() throws Exception {
        GenericKubernetesResource audit = kustomize("kafka").stream()
                .filter(r -> r.getKind().equals("KafkaTopic") && r.getMetadata().getName().equals(AUDIT))
                .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow(() -> new AssertionError("no KafkaTopic audit"));
        assertThat((Object) audit.get("spec", "topicName")).isEqualTo(AUDIT);
        // delete (by age), never compact: compaction keeps the latest record per key and would rewrite the trail.
        assertThat((Object) audit.get("spec", "config", "cleanup.policy")).isEqualTo("delete");
        long retention = ((Number) audit.get("spec", "config", "retention.ms")).longValue();
        assertThat(retention).as("retention.ms").isGreaterThanOrEqualTo(java.time.Duration.ofDays(366).toMillis());
        assertThat(((Number) audit.get("spec", "config", "retention.bytes")).longValue()).as("no size cap cuts it short").isEqualTo(-1);
        assertThat((Object) audit.get("spec", "config", "message.timestamp.type")).isEqualTo("LogAppendTime");
        assertThat(((Number) audit.get("spec", "replicas")).intValue()).isEqualTo(3);
        assertThat(((Number) audit.get("spec", "config", "min.insync.replicas")).intValue()).isEqualTo(2);
    }

    @Test
    void noKustomizationShipsACredential() throws Exception {
        // A Secret in the repository is a published key: the evaluation MinIO reads the one the user creates.
        for (String dir : kustomizations().toList()) {
            assertThat(kustomize(dir)).as("k8s/%s", dir).noneMatch(r -> r.getKind().equals("Secret"));
        }
        List<HasMetadata> minio = kustomize("minio");
        for (HasMetadata r : minio) {
            var pod = r instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
                    : r instanceof io.fabric8.kubernetes.api.model.batch.v1.Job j ? j.getSpec().getTemplate().getSpec() : null;
            if (pod == null) continue;
            var env = pod.getContainers().get(0).getEnv();
            assertThat(env).as("%s %s", r.getKind(), r.getMetadata().getName())
                    .filteredOn(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .extracting(e -> e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey())
                    .containsExactlyInAnyOrder("ich-storage/access-key", "ich-storage/secret-key");
            assertThat(env).as("no literal credential").noneMatch(e -> e.getValue() != null
                    && (e.getName().contains("ROOT_") || e.getName().contains("KEY") || e.getName().contains("PASSWORD")));
        }
    }

    @Test
    void theChartDefaultsPointAtWhatK8sCreates() throws Exception {
        List<HasMetadata> eval = kustomize("overlays/evaluation");
        // Strimzi names the bootstrap Service <cluster>-kafka-bootstrap; the chart's default is ich-kafka-bootstrap.ich.svc:9092.
        assertThat(eval).anySatisfy(r -> {
            assertThat(r.getKind()).isEqualTo("Kafka");
            assertThat(r.getMetadata().getName()).isEqualTo("ich");
        });
        // The evaluation values name the Secret k8s/minio reads (created by the user, noKustomizationShipsACredential).
        assertThat(ServiceSettingsTest.podEnvironmentValues(Chart.render(), "ingest"))
                .containsEntry("ICH_STORAGE_ACCESS_KEY", "secret:ich-storage/access-key")
                .containsEntry("ICH_STORAGE_SECRET_KEY", "secret:ich-storage/secret-key")
                .containsEntry("ICH_STORAGE_ENDPOINT", "http://minio.ich.svc:9000");
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
