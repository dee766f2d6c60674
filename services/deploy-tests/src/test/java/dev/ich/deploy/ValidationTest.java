package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Values that cannot work together stop the install with a sentence that says what to change. */
class ValidationTest {

    @Test
    void theChartAsShippedRefusesToRenderUntilTheSiteNamesItsIssuerSecretsAndNetworks() {
        assertThatThrownBy(() -> Chart.templateBare(List.of(), Map.of()))
                .hasMessageContaining("these values cannot work together")
                .hasMessageContaining("auth.issuerUrl is empty: set it to your OpenID Connect issuer")
                .hasMessageContaining("or set auth.enabled=false to open every API")
                .hasMessageContaining("storage has no credentials: create a Secret")
                .hasMessageContaining("ingest.deidentify is on (the default) but ingest.deidentify.existingSecret is empty")
                .hasMessageContaining("--from-literal=pseudonym-key=")
                .hasMessageContaining("networkPolicy.oidc.to is empty")
                .hasMessageContaining("networkPolicy.kubernetesApi.to is empty");
    }

    @Test
    void openingTheApisAndStoringIdentifiersAreExplicitChoicesThatRender() {
        Map<String, Object> set = Map.of("auth.enabled", false, "ingest.deidentify.enabled", false,
                "storage.existingSecret", "ich-storage", "networkPolicy.enabled", false);
        List<HasMetadata> all = Manifests.parse(Chart.templateBare(List.of(), set));
        assertThat(ServiceSettingsTest.podEnvironmentValues(all, "ingest")).containsEntry("ICH_AUTH_ENABLED", "false")
                .containsEntry("ICH_INGEST_DEIDENTIFY_ENABLED", "false").doesNotContainKey("ICH_INGEST_DEIDENTIFY_KEY");
        assertThat(Chart.notes(List.of(), set)).contains("EVERY API OF EVERY SERVICE IS OPEN")
                .contains("de-identification is off (ingest.deidentify.enabled=false)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"minioadmin", "changeme", "ich-local", "ICH-EVALUATION"})
    void placeholderStorageCredentialsAreRefused(String placeholder) {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("storage.existingSecret", "",
                "storage.accessKey", placeholder, "storage.secretKey", placeholder)))
                .hasMessageContaining("storage.accessKey is empty or a published placeholder (\"" + placeholder + "\")")
                .hasMessageContaining("storage.secretKey is empty or a published placeholder");
    }

    @Test
    void plainTextCredentialsNeedBothKeysNoSecretBesideThemAndAtLeastEightCharacters() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("storage.existingSecret", "", "storage.accessKey", "AKIAEXAMPLE1")))
                .hasMessageContaining("storage.secretKey is empty or a published placeholder");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("storage.accessKey", "AKIAEXAMPLE1", "storage.secretKey", "s3cr3t-long-enough")))
                .hasMessageContaining("storage.existingSecret (ich-storage) and storage.accessKey/secretKey are both set");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("storage.existingSecret", "", "storage.accessKey", "AKIAEXAMPLE1",
                "storage.secretKey", "short")))
                .hasMessageContaining("storage.secretKey is shorter than 8 characters");
    }

    @Test
    void realPlainTextCredentialsGoIntoTheChartsSecretAndOnlyByReferenceIntoPods() {
        List<HasMetadata> all = Manifests.parse(Chart.template(List.of(), Map.of("storage.existingSecret", "",
                "storage.accessKey", "AKIAEXAMPLE1", "storage.secretKey", "wJalrXUtnFEMI-K7MDENG")));
        Secret secret = Manifests.named(all, Secret.class, "ich-storage");
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("secret-key")), StandardCharsets.UTF_8))
                .isEqualTo("wJalrXUtnFEMI-K7MDENG");
        for (String c : ChartTest.COMPONENTS) {
            assertThat(ServiceSettingsTest.podEnvironmentValues(all, c))
                    .containsEntry("ICH_STORAGE_ACCESS_KEY", "secret:ich-storage/access-key")
                    .containsEntry("ICH_STORAGE_SECRET_KEY", "secret:ich-storage/secret-key");
        }
        // With an existing Secret the chart makes none of its own.
        assertThat(Manifests.ofType(Chart.render(), Secret.class)).isEmpty();
    }

    @Test
    void credentialsInExtraEnvAreRefusedBecauseTheyWouldSitInAConfigMap() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("cleaning.extraEnv.ICH_STORAGE_SECRET_KEY", "x",
                "training.jobs.extraEnv.SOME_PASSWORD", "y")))
                .hasMessageContaining("cleaning.extraEnv sets ICH_STORAGE_SECRET_KEY: extraEnv lands in a ConfigMap in clear")
                .hasMessageContaining("training.jobs.extraEnv sets SOME_PASSWORD");
    }

    @Test
    void theDicomAllowlistCannotMixAnySenderWithNamedOnes() {
        // The evaluation values list CT_ROOM1 and PACS_MAIN: "*" replaces the first.
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("ingest.dimse.allowedCallingAeTitles[0]", "*")))
                .hasMessageContaining("ingest.dimse.allowedCallingAeTitles mixes \"*\" (any sender) with named AE titles [PACS_MAIN]");
    }

    @Test
    void theSchemaRefusesAeTitlesThatCannotBeOneAndRolesIchDoesNotHave() {
        // A comma would split the title in ICH_INGEST_DIMSE_ALLOWED_CALLING_AE_TITLES; DICOM forbids the backslash; 16 at most.
        for (String bad : List.of("CT\\\\ROOM", "SEVENTEEN_CHARS_X", " LEADING")) {
            assertThatThrownBy(() -> Chart.template(List.of(), Map.of("ingest.dimse.allowedCallingAeTitles[0]", bad)))
                    .as(bad).hasMessageContaining("allowedCallingAeTitles");
        }
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("auth.roleMap.ich-superuser[0]", "it")))
                .hasMessageContaining("invalid propertyName 'ich-superuser'");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("auth.roleMap.ich-admin[0]", "a|b")))
                .hasMessageContaining("roleMap");
    }

    @Test
    void networkPolicyPeersMustNameSomebody() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("networkPolicy.prometheus.namespaceSelector", "null",
                "networkPolicy.prometheus.podSelector", "null", "networkPolicy.kafka.to", "null")))
                .hasMessageContaining("networkPolicy.prometheus has neither namespaceSelector nor podSelector")
                .hasMessageContaining("networkPolicy.kafka.to is empty");
    }

    @Test
    void twoLabelingReplicasOnOneDuckDbClaimAreRefused() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("labeling.replicas", 2)))
                .hasMessageContaining("these values cannot work together")
                .hasMessageContaining("labeling.replicas is 2 but labeling.persistence is enabled")
                .hasMessageContaining("keep labeling.replicas at 1");
    }

    @Test
    void aGpuTrainerWithNoWayOntoTheTaintedPoolIsRefusedTogetherWithOtherMistakes() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("training.jobs.tolerations", "null",
                "storage.existingSecret", "", "cleaning.autoscaling.minReplicas", 9, "cleaning.autoscaling.maxReplicas", 3)))
                .hasMessageContaining("training.jobs.gpu.count > 0 but the trainer has no nodeSelector, tolerations or affinity")
                .hasMessageContaining("storage has no credentials")
                .hasMessageContaining("cleaning.autoscaling.minReplicas (9) is greater than cleaning.autoscaling.maxReplicas (3)");
    }

    @Test
    void theSchemaRefusesAMisspeltValue() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("training.jobs.gpus", 2)))
                .hasMessageContaining("gpus");
    }
}
