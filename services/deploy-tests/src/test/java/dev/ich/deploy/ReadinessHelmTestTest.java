package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `helm test`: one Pod asks every enabled service, through its Service, for the readiness its probe checks. */
class ReadinessHelmTestTest {

    @Test
    void theTestPodAsksEveryEnabledServiceForItsReadinessOnTheManagementPort() {
        List<HasMetadata> all = Chart.render();
        Pod pod = testPod(Chart.hooks(Map.of()));
        Container c = pod.getSpec().getContainers().get(0);
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        for (String component : ChartTest.COMPONENTS) {
            Service s = Manifests.named(all, Service.class, "ich-" + component);
            int management = s.getSpec().getPorts().stream().filter(p -> p.getName().equals("management")).findFirst().orElseThrow().getPort();
            assertThat(c.getCommand()).as(component).contains(s.getMetadata().getName() + ":" + management);
            // The same path the Deployment's readiness probe asks.
            String probed = Manifests.named(all, Deployment.class, "ich-" + component).getSpec().getTemplate().getSpec()
                    .getContainers().get(0).getReadinessProbe().getHttpGet().getPath();
            assertThat(c.getEnv()).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo("READINESS_PATH");
                assertThat(e.getValue()).isEqualTo(probed);
            });
        }
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void aDisabledComponentIsNotAskedAndNothingEnabledMeansNoTest() {
        Pod pod = testPod(Chart.hooks(Map.of("cleaning.enabled", false)));
        assertThat(pod.getSpec().getContainers().get(0).getCommand()).noneMatch(a -> a.startsWith("ich-cleaning:"))
                .anyMatch(a -> a.startsWith("ich-ingest:"));

        Map<String, Object> none = Map.of("ingest.enabled", false, "cleaning.enabled", false, "labeling.enabled", false,
                "training.enabled", false, "inference.enabled", false);
        assertThat(Manifests.ofType(Chart.hooks(none), Pod.class)).isEmpty();
    }

    @Test
    void theNetworkPoliciesLetTheTestPodReachEachServicesManagementPortAndNothingElse() {
        List<HasMetadata> all = Chart.render();
        Map<String, String> labels = testPod(Chart.hooks(Map.of())).getMetadata().getLabels();
        // No ich policy selects the test pod (its egress is the namespace's), so only the services' ingress matters.
        for (NetworkPolicy np : Manifests.ofType(all, NetworkPolicy.class)) {
            assertThat(NetworkPolicyTest.matches(np.getSpec().getPodSelector(), labels)).as(np.getMetadata().getName()).isFalse();
        }
        NetworkPolicy in = Manifests.named(all, NetworkPolicy.class, "ich-ingress-readiness-test");
        assertThat(NetworkPolicyTest.matches(in.getSpec().getIngress().get(0).getFrom().get(0).getPodSelector(), labels)).isTrue();
        assertThat(NetworkPolicyTest.allowed(all)).filteredOn(f -> f.endsWith(NetworkPolicyTest.READINESS_TEST))
                .containsExactlyInAnyOrderElementsOf(ChartTest.COMPONENTS.stream()
                        .map(s -> NetworkPolicyTest.flow("in", s, "management/TCP", NetworkPolicyTest.READINESS_TEST)).toList());
    }

    static Pod testPod(List<HasMetadata> hooks) {
        List<Pod> pods = Manifests.ofType(hooks, Pod.class);
        assertThat(pods).singleElement().satisfies(p ->
                assertThat(p.getMetadata().getAnnotations()).containsEntry("helm.sh/hook", "test"));
        return pods.get(0);
    }
}
