package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Ingest's doors as the chart configures them: who may send by C-STORE, and de-identification with its key. */
class DicomDoorTest {

    @Test
    void theAllowlistAndCalledAeTitleReachIngestAndDeidentificationIsOnWithItsKeyFromTheSecret() {
        Map<String, String> env = ServiceSettingsTest.podEnvironmentValues(Chart.render(), "ingest");
        assertThat(env).containsEntry("ICH_INGEST_DIMSE_AE_TITLE", "ICH")
                .containsEntry("ICH_INGEST_DIMSE_ALLOWED_CALLING_AE_TITLES", "CT_ROOM1,PACS_MAIN")
                .containsEntry("ICH_INGEST_DEIDENTIFY_ENABLED", "true")
                .containsEntry("ICH_INGEST_DEIDENTIFY_KEY", "secret:ich-pseudonym-key/pseudonym-key");
    }

    @Test
    void anySenderIsAStarAndNoneIsEmptyAndTheNotesSaySo(@TempDir Path tmp) throws IOException {
        Path star = Files.writeString(tmp.resolve("any-sender.yaml"), "ingest: {dimse: {allowedCallingAeTitles: ['*']}}\n");
        List<HasMetadata> any = Manifests.parse(Chart.template(List.of(star), Map.of()));
        assertThat(ServiceSettingsTest.podEnvironmentValues(any, "ingest")).containsEntry("ICH_INGEST_DIMSE_ALLOWED_CALLING_AE_TITLES", "*");

        Map<String, Object> nobody = Map.of("ingest.dimse.allowedCallingAeTitles", "null");
        List<HasMetadata> none = Manifests.parse(Chart.templateBare(Chart.ciFiles(Chart.EVALUATION), nobody));
        assertThat(ServiceSettingsTest.podEnvironmentValues(none, "ingest")).containsEntry("ICH_INGEST_DIMSE_ALLOWED_CALLING_AE_TITLES", "");
        assertThat(Chart.notes(Chart.ciFiles(Chart.EVALUATION), nobody)).contains("No calling AE title is allowed yet");
        assertThat(Chart.notes(Chart.ciFiles(Chart.EVALUATION), Map.of())).contains("Calling AE titles accepted: CT_ROOM1, PACS_MAIN");
    }
}
