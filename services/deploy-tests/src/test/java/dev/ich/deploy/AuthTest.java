package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart's auth values become the ICH_AUTH_* variables services/runtime reads, the same in every service. */
class AuthTest {

    @Test
    void everyServiceGetsTheIssuerClaimAudienceAndTheSitesRoleMap() {
        List<HasMetadata> all = Chart.render("external-values.yaml");
        for (String c : ChartTest.COMPONENTS) {
            Map<String, String> env = ServiceSettingsTest.podEnvironmentValues(all, c);
            assertThat(env).as("ich-%s", c)
                    .containsEntry("ICH_AUTH_ENABLED", "true")
                    .containsEntry("ICH_AUTH_ISSUER_URL", "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0")
                    .containsEntry("ICH_AUTH_AUDIENCE", "api://ich")
                    .containsEntry("ICH_AUTH_ROLES_CLAIM", "groups")
                    // role=group|group;... in role order: the grammar services/runtime parses.
                    .containsEntry("ICH_AUTH_ROLE_MAP", "ich-admin=6f1c2a9e-0000-4000-8000-000000000001;"
                            + "ich-clinician=6f1c2a9e-0000-4000-8000-000000000003|6f1c2a9e-0000-4000-8000-000000000004;"
                            + "ich-uploader=6f1c2a9e-0000-4000-8000-000000000002");
        }
    }

    @Test
    void withoutAudienceOrRoleMapNeitherIsSetAndTheClaimIsTheSites() {
        List<HasMetadata> all = Chart.render();
        Map<String, String> data = Manifests.named(all, ConfigMap.class, "ich-labeling").getData();
        assertThat(data).containsEntry("ICH_AUTH_ROLES_CLAIM", "realm_access/roles")
                .doesNotContainKeys("ICH_AUTH_AUDIENCE", "ICH_AUTH_ROLE_MAP");
    }

    @Test
    void authDisabledExplicitlyOpensEveryServiceAndNotesSayItInCapitals() {
        Map<String, Object> off = Map.of("auth.enabled", false, "auth.issuerUrl", "");
        List<HasMetadata> all = Manifests.parse(Chart.template(List.of(), off));
        for (String c : ChartTest.COMPONENTS) {
            assertThat(ServiceSettingsTest.podEnvironmentValues(all, c)).as("ich-%s", c)
                    .containsEntry("ICH_AUTH_ENABLED", "false").doesNotContainKey("ICH_AUTH_ISSUER_URL");
        }
        // No issuer to reach: no egress for it either.
        assertThat(Manifests.ofType(all, NetworkPolicy.class)).extracting(p -> p.getMetadata().getName()).doesNotContain("ich-egress-oidc");

        String notes = Chart.notes(Chart.ciFiles(Chart.EVALUATION), off);
        assertThat(notes).contains("AUTHENTICATION IS OFF").contains("EVERY API OF EVERY SERVICE IS OPEN TO ANYONE WHO")
                .contains("CAN REACH IT");
        assertThat(Chart.notes(Chart.ciFiles(Chart.EVALUATION), Map.of())).doesNotContain("AUTHENTICATION IS OFF")
                .contains("Every API requires a bearer token from https://keycloak.example.org/realms/ich");
    }
}
