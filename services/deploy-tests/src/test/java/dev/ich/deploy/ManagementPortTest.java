package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health, metrics and OpenAPI are served on Quarkus' management interface (container port "management", 9000),
 * the API on "http" (8080): probes and the ServiceMonitor use the first, the Ingress only ever the second.
 */
class ManagementPortTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"evaluation-values.yaml", "gpu-kueue-values.yaml", "external-values.yaml", "inference-gpu-values.yaml"})
    void probesUseTheManagementPortAndEveryServiceExposesBothUnderTheirOwnNames(String values) {
        List<HasMetadata> all = Chart.render(values);
        for (String component : ChartTest.COMPONENTS) {
            String name = "ich-" + component;
            Container c = Manifests.named(all, Deployment.class, name).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getPorts()).as(name).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("http");
                assertThat(p.getContainerPort()).isEqualTo(8080);
            }).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("management");
                assertThat(p.getContainerPort()).isEqualTo(9000);
            });
            // Quarkus listens where the container port says: both ports are set, not left to the image's defaults.
            assertThat(Manifests.named(all, ConfigMap.class, name).getData())
                    .containsEntry("QUARKUS_HTTP_PORT", "8080").containsEntry("QUARKUS_MANAGEMENT_PORT", "9000");
            for (var probe : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
                assertThat(probe.getHttpGet().getPort().getStrVal()).as("%s probe %s", name, probe.getHttpGet().getPath())
                        .isEqualTo("management");
            }
            Service s = Manifests.named(all, Service.class, name);
            assertThat(s.getSpec().getPorts()).extracting(ServicePort::getName, p -> p.getTargetPort().getStrVal())
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("http", "http"),
                            org.assertj.core.groups.Tuple.tuple("management", "management"));
        }
    }

    @Test
    void theIngressRoutesOnlyTheApiPortNeverTheManagementPort() {
        List<HasMetadata> all = Chart.render("external-values.yaml");
        Ingress ingress = Manifests.named(all, Ingress.class, "ich");
        assertThat(ingress.getSpec().getRules()).isNotEmpty();
        for (var rule : ingress.getSpec().getRules()) {
            for (var path : rule.getHttp().getPaths()) {
                var backend = path.getBackend().getService();
                Service target = Manifests.named(all, Service.class, backend.getName());
                // Resolve the backend's port (by name or number) to the Service port, then to the container port it targets.
                ServicePort port = target.getSpec().getPorts().stream()
                        .filter(p -> p.getName().equals(backend.getPort().getName()) || p.getPort().equals(backend.getPort().getNumber()))
                        .findFirst().orElseThrow(() -> new AssertionError(rule.getHost() + " routes to no port of " + backend.getName()));
                assertThat(port.getTargetPort().getStrVal()).as("%s routes to the API port", rule.getHost()).isEqualTo("http");
                assertThat(port.getPort()).as(rule.getHost()).isNotEqualTo(9000);
            }
        }
        GenericKubernetesResource monitor = (GenericKubernetesResource) all.stream().filter(r -> r.getKind().equals("ServiceMonitor"))
                .findFirst().orElseThrow();
        List<?> endpoints = monitor.get("spec", "endpoints");
        assertThat(endpoints).singleElement().satisfies(e -> {
            assertThat(((Map<?, ?>) e).get("port")).isEqualTo("management");
            assertThat(((Map<?, ?>) e).get("path")).isEqualTo("/q/metrics");
        });
    }
}
