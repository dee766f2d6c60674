package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * inference.export in the chart: each destination becomes the ICH_INFERENCE_EXPORT_DESTINATIONS_&lt;NAME&gt;_* settings
 * the service's mapping reads, credentials come from the named Secret only, and the NetworkPolicies let inference out
 * to each destination's peers on its port, and nowhere else.
 */
class ExportChartTest {
    static final String DESTINATIONS = """
            inference:
              export:
                destinations:
                  pacs: {kind: dimse, host: pacs.hospital.example, port: 11112, calledAeTitle: MAINPACS, egress: [{ipBlock: {cidr: 10.50.0.10/32}}]}
                  vna: {kind: stow, url: "https://vna.example/dicom-web", existingSecret: vna-credentials, bearerTokenKey: token,
                        maxAttempts: 50, maxBackoff: 15m, egress: [{ipBlock: {cidr: 10.60.0.0/24}}]}
                  lab: {kind: stow, url: "http://orthanc.lab:8042/dicom-web", existingSecret: lab-credentials, usernameKey: user,
                        passwordKey: password, egress: [{podSelector: {matchLabels: {app: orthanc}}}]}
            """;

    @Test
    void eachDestinationBecomesTheSettingsTheServiceReadsWithCredentialsFromItsSecret(@TempDir Path tmp) throws IOException {
        List<HasMetadata> all = Manifests.parse(Chart.template(List.of(values(tmp, DESTINATIONS)), Map.of()));
        Map<String, String> env = ServiceSettingsTest.podEnvironmentValues(all, "inference");
        String p = "ICH_INFERENCE_EXPORT_DESTINATIONS_";
        assertThat(env).containsEntry(p + "PACS_KIND", "dimse").containsEntry(p + "PACS_HOST", "pacs.hospital.example")
                .containsEntry(p + "PACS_PORT", "11112").containsEntry(p + "PACS_CALLED_AE_TITLE", "MAINPACS")
                .containsEntry(p + "VNA_KIND", "stow").containsEntry(p + "VNA_URL", "https://vna.example/dicom-web")
                .containsEntry(p + "VNA_MAX_ATTEMPTS", "50").containsEntry(p + "VNA_MAX_BACKOFF", "15m")
                .containsEntry(p + "VNA_BEARER_TOKEN", "secret:vna-credentials/token")
                .containsEntry(p + "LAB_USERNAME", "secret:lab-credentials/user")
                .containsEntry(p + "LAB_PASSWORD", "secret:lab-credentials/password");

        ConfigMap config = Manifests.named(all, ConfigMap.class, "ich-inference");
        assertThat(config.getData().keySet()).as("credentials never sit in the ConfigMap")
                .noneMatch(k -> k.endsWith("_BEARER_TOKEN") || k.endsWith("_USERNAME") || k.endsWith("_PASSWORD"));

        Set<String> readable = destinationSettings();
        for (String name : env.keySet()) {
            if (!name.startsWith(p)) continue;
            String setting = name.substring(p.length()).replaceFirst("^(PACS|VNA|LAB)_", "");
            assertThat(readable).as("%s is a setting of ExportConfig.Destination", name).contains(setting);
        }
    }

    @Test
    void inferenceMayReachEachDestinationOnItsPortAndNothingMore(@TempDir Path tmp) throws IOException {
        Set<String> before = NetworkPolicyTest.allowed(Chart.render());
        Set<String> after = NetworkPolicyTest.allowed(Manifests.parse(Chart.template(List.of(values(tmp, DESTINATIONS)), Map.of())));
        Set<String> added = new TreeSet<>(after);
        added.removeAll(before);
        assertThat(after).containsAll(before);
        assertThat(added).containsExactlyInAnyOrder(
                NetworkPolicyTest.flow("out", "inference", "11112/TCP", "cidr 10.50.0.10/32"),
                NetworkPolicyTest.flow("out", "inference", "443/TCP", "cidr 10.60.0.0/24"),
                NetworkPolicyTest.flow("out", "inference", "8042/TCP", "pod{app=orthanc}"));
    }

    @Test
    void noDestinationIsTheDefaultAndAddsNeitherSettingsNorPolicies() {
        List<HasMetadata> all = Chart.render();
        assertThat(ServiceSettingsTest.podEnvironmentValues(all, "inference").keySet()).noneMatch(k -> k.startsWith("ICH_INFERENCE_EXPORT_"));
        assertThat(Manifests.ofType(all, NetworkPolicy.class)).noneMatch(n -> n.getMetadata().getName().contains("export"));
    }

    @Test
    void aDestinationThatCannotWorkStopsTheInstallWithWhatToSet(@TempDir Path tmp) throws IOException {
        Path bad = values(tmp, """
                inference:
                  export:
                    destinations:
                      pacs: {kind: dimse, host: pacs.example}
                      vna: {kind: stow, bearerTokenKey: token, egress: [{ipBlock: {cidr: 10.60.0.0/24}}]}
                """);
        assertThatThrownBy(() -> Chart.template(List.of(bad), Map.of()))
                .hasMessageContaining("inference.export.destinations.pacs is a dimse destination without host, port and calledAeTitle")
                .hasMessageContaining("inference.export.destinations.pacs has no egress")
                .hasMessageContaining("inference.export.destinations.vna is a stow destination without url")
                .hasMessageContaining("inference.export.destinations.vna names credential keys but no existingSecret");
        Path dashed = values(tmp, "inference: {export: {destinations: {main-pacs: {kind: dimse}}}}\n");
        assertThatThrownBy(() -> Chart.template(List.of(dashed), Map.of())).hasMessageContaining("main-pacs");
    }

    private static Path values(Path dir, String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "export-", ".yaml"), yaml);
    }

    /** KIND, HOST, CALLED_AE_TITLE, ...: the methods of ExportConfig.Destination, as environment suffixes. */
    static Set<String> destinationSettings() throws IOException {
        String src = Files.readString(Repo.HOME.resolve("services/inference/src/main/java/dev/ich/inference/export/ExportConfig.java"));
        String destination = src.substring(src.indexOf("interface Destination"));
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\s(\\w+)\\(\\);").matcher(destination);
        while (m.find()) names.add(m.group(1).replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase());
        assertThat(names).contains("KIND", "HOST", "PORT", "CALLED_AE_TITLE", "URL", "BEARER_TOKEN");
        return names;
    }
}
