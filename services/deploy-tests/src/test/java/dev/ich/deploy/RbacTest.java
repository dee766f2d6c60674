package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The training service may do exactly what its Kubernetes launcher does, in its namespace, and nothing else is granted. */
class RbacTest {
    /** group/resource -> verbs: create, follow and cancel Jobs; read their pods, logs and events. */
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "batch/jobs", Set.of("create", "get", "list", "watch", "delete"),
            "/pods", Set.of("get", "list", "watch"),
            "/pods/log", Set.of("get", "list", "watch"),
            "/events", Set.of("get", "list", "watch"));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"evaluation-values.yaml", "gpu-kueue-values.yaml", "external-values.yaml", "inference-gpu-values.yaml"})
    void onlyTheTrainingRoleWithExactlyTheListedVerbs(String values) {
        List<HasMetadata> all = Chart.render(values);
        assertThat(all).as("nothing cluster-wide").noneMatch(r -> r.getKind().startsWith("Cluster"));
        assertThat(all).filteredOn(r -> r.getApiVersion().startsWith("rbac.authorization.k8s.io"))
                .extracting(HasMetadata::getKind).containsExactlyInAnyOrder("Role", "RoleBinding");

        Role role = Manifests.named(all, Role.class, "ich-training");
        Map<String, Set<String>> granted = new TreeMap<>();
        for (PolicyRule rule : role.getRules()) {
            assertThat(rule.getResourceNames()).as("no resourceNames tricks").isNullOrEmpty();
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    granted.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs());
                }
            }
        }
        assertThat(granted).isEqualTo(new TreeMap<>(ALLOWED));

        RoleBinding binding = Manifests.named(all, RoleBinding.class, "ich-training");
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo("ich-training");
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo("ich-training");
            assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
        });
    }
}
