package dev.ich.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart lints, and renders for each value file of helm/ich/ci into objects that parse strictly and are safe. */
class ChartTest {
    static final List<String> COMPONENTS = List.of("ingest", "cleaning", "labeling", "training", "inference");

    /**
     * helm lint --strict of the chart with the values a site must add (ci/evaluation-values.yaml): helm-java's lint
     * takes no values file, so the test lints a copy whose values.yaml is the chart's merged with that file (the
     * chart's own values.yaml alone is refused by design: no issuer, no Secrets; ValidationTest checks the refusal).
     */
    @Test
    void chartLintsStrictlyWithoutWarnings(@TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve("ich");
        try (Stream<Path> files = Files.walk(Repo.chart())) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(Repo.chart().relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
        }
        YAMLMapper yaml = new YAMLMapper();
        JsonNode merged = merge(yaml.readTree(Repo.chart().resolve("values.yaml").toFile()),
                yaml.readTree(Repo.chart().resolve("ci").resolve(Chart.EVALUATION).toFile()));
        yaml.writeValue(copy.resolve("values.yaml").toFile(), merged);
        assertThat(Files.readString(copy.resolve("values.yaml"))).contains("https://keycloak.example.org/realms/ich");

        LintResult lint = new Helm(copy).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    /** Helm's merge of a values file over the defaults: maps key by key, anything else replaced. */
    static JsonNode merge(JsonNode base, JsonNode over) {
        if (!(base instanceof ObjectNode b) || !over.isObject()) return over;
        over.fields().forEachRemaining(e -> b.set(e.getKey(), b.has(e.getKey()) ? merge(b.get(e.getKey()), e.getValue()) : e.getValue()));
        return b;
    }

    @Test
    void everyValuesFileOfCiIsAScenarioHere() throws IOException {
        try (Stream<Path> files = Files.list(Repo.chart().resolve("ci"))) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("evaluation-values.yaml", "gpu-kueue-values.yaml", "external-values.yaml", "inference-gpu-values.yaml");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"evaluation-values.yaml", "gpu-kueue-values.yaml", "external-values.yaml", "inference-gpu-values.yaml"})
    void everyScenarioRendersObjectsThatParseStrictlyAndRunLocked(String values) {
        List<HasMetadata> all = Chart.render(values);

        assertThat(Manifests.ofType(all, Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(COMPONENTS.stream().map(c -> "ich-" + c).toList());
        for (Deployment d : Manifests.ofType(all, Deployment.class)) {
            var pod = d.getSpec().getTemplate().getSpec();
            String name = d.getMetadata().getName();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
            Container c = pod.getContainers().get(0);
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(name).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(name).containsExactly("ALL");
            assertThat(c.getVolumeMounts()).as(name + " has a writable /tmp").anyMatch(m -> m.getMountPath().equals("/tmp"));
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
            for (var probe : List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
                assertThat(probe.getHttpGet().getPort().getStrVal()).as(name + " probes the management interface").isEqualTo("management");
            }
            assertThat(c.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(name).containsKey("memory");
            assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).as(name).containsKey("checksum/config");
            // Every volume mount has its volume.
            assertThat(pod.getVolumes()).extracting(v -> v.getName())
                    .containsAll(c.getVolumeMounts().stream().map(m -> m.getName()).toList());
            assertThat(pod.getAutomountServiceAccountToken()).as(name + " mounts an API token only for training")
                    .isEqualTo(name.equals("ich-training"));
        }
        for (Service s : Manifests.ofType(all, Service.class)) {
            var selected = Manifests.ofType(all, Deployment.class).stream()
                    .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                    .toList();
            assertThat(selected).as("Service %s selects exactly one Deployment", s.getMetadata().getName()).hasSize(1);
            for (var port : s.getSpec().getPorts()) {
                assertThat(selected.get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                        .as("Service %s port %s targets a named container port", s.getMetadata().getName(), port.getName())
                        .anyMatch(p -> p.getName().equals(port.getTargetPort().getStrVal()));
            }
        }
    }

    @Test
    void defaultsGiveTheDicomPortThePvcTheAutoscalersAndTheBudgets() {
        List<HasMetadata> all = Chart.render();
        Service dicom = Manifests.named(all, Service.class, "ich-dicom");
        assertThat(dicom.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(11112);
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });
        PersistentVolumeClaim pvc = Manifests.named(all, PersistentVolumeClaim.class, "ich-labeling");
        assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        Deployment labeling = Manifests.named(all, Deployment.class, "ich-labeling");
        assertThat(labeling.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(labeling.getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(v -> v.getPersistentVolumeClaim() != null && v.getPersistentVolumeClaim().getClaimName().equals("ich-labeling"));

        assertThat(Manifests.ofType(all, HorizontalPodAutoscaler.class)).extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .containsExactlyInAnyOrder("ich-cleaning", "ich-inference");
        // With an autoscaler the Deployment leaves replicas to it (or every upgrade would reset the count).
        assertThat(Manifests.named(all, Deployment.class, "ich-inference").getSpec().getReplicas()).isNull();
        assertThat(Manifests.ofType(all, PodDisruptionBudget.class)).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("ich-ingest", "ich-cleaning", "ich-inference");

        Deployment ingest = Manifests.named(all, Deployment.class, "ich-ingest");
        assertThat(Manifests.named(all, ConfigMap.class, "ich-ingest").getData())
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "ich-kafka-bootstrap.ich.svc:9092")
                .containsEntry("ICH_STORAGE_ENDPOINT", "http://minio.ich.svc:9000");
        assertThat(ingest.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("ICH_STORAGE_SECRET_KEY");
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("ich-storage");
                });
    }

    @Test
    void aChangedSettingChangesTheChecksumSoPodsRoll() {
        String before = checksum(Chart.template(List.of(), Map.of()));
        String after = checksum(Chart.template(List.of(), Map.of("cleaning.workers", 6)));
        assertThat(after).isNotEqualTo(before);
    }

    private static String checksum(String yaml) {
        return Manifests.named(Manifests.parse(yaml), Deployment.class, "ich-cleaning")
                .getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }

    @Test
    void externalKafkaAndStorageComeFromValuesAndTheirSecret() {
        List<HasMetadata> all = Chart.render("external-values.yaml");
        for (String c : COMPONENTS) {
            Map<String, String> data = Manifests.named(all, ConfigMap.class, "ich-" + c).getData();
            assertThat(data).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "b-1.kafka.example.internal:9092,b-2.kafka.example.internal:9092")
                    .containsEntry("ICH_STORAGE_ENDPOINT", "https://s3.eu-west-1.amazonaws.com")
                    .containsEntry("ICH_STORAGE_BUCKET", "hospital-ich");
            var env = Manifests.named(all, Deployment.class, "ich-" + c).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
            assertThat(env).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo("ICH_STORAGE_ACCESS_KEY");
                assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hospital-s3");
                assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("AWS_ACCESS_KEY_ID");
            });
        }
        assertThat(Manifests.named(all, Service.class, "ich-dicom").getSpec().getType()).isEqualTo("LoadBalancer");
        Ingress ingress = Manifests.named(all, Ingress.class, "ich");
        assertThat(ingress.getSpec().getRules()).extracting(r -> r.getHost())
                .containsExactly("ingest.ich.example.org", "labeling.ich.example.org", "training.ich.example.org", "inference.ich.example.org");
        assertThat(all).anySatisfy(r -> assertThat(r.getKind()).isEqualTo("ServiceMonitor"));
    }

    @Test
    void inferenceOnGpuGetsTheGpuImageLimitAndPlacement() {
        List<HasMetadata> all = Chart.render("inference-gpu-values.yaml");
        Deployment inference = Manifests.named(all, Deployment.class, "ich-inference");
        var pod = inference.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("ghcr.io/ich/ich-inference-gpu:0.1.0");
        assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(pod.getNodeSelector()).containsEntry("ich.dev/pool", "gpu");
        assertThat(pod.getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
        assertThat(inference.getSpec().getReplicas()).isEqualTo(2);
        assertThat(Manifests.ofType(all, HorizontalPodAutoscaler.class)).extracting(h -> h.getMetadata().getName())
                .containsExactly("ich-cleaning");
        // Only inference moved: nothing else asks for a GPU.
        assertThat(Manifests.named(all, Deployment.class, "ich-cleaning").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
    }
}
