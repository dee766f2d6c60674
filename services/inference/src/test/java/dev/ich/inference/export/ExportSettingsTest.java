package dev.ich.inference.export;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings as a pod gets them: environment variables only (what the chart renders), read through SmallRye's
 * own environment source and the service's mapping; and the defaults when a destination says no more than its kind.
 */
class ExportSettingsTest {
    private static ExportConfig fromEnvironment(Map<String, String> env) {
        // Quarkus' converter reads "2s" and "5m" as the service does; plain SmallRye knows only ISO-8601 durations.
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 200, new DurationConverter()).withMapping(ExportConfig.class).build();
        return config.getConfigMapping(ExportConfig.class);
    }

    @Test
    void destinationsComeFromEnvironmentVariablesNamedAfterThem() {
        ExportConfig c = fromEnvironment(Map.of(
                "ICH_INFERENCE_EXPORT_DESTINATIONS_PACS_KIND", "dimse",
                "ICH_INFERENCE_EXPORT_DESTINATIONS_PACS_HOST", "pacs.hospital.example",
                "ICH_INFERENCE_EXPORT_DESTINATIONS_PACS_PORT", "11112",
                "ICH_INFERENCE_EXPORT_DESTINATIONS_PACS_CALLED_AE_TITLE", "MAINPACS",
                "ICH_INFERENCE_EXPORT_DESTINATIONS_PACS_MAX_ATTEMPTS", "30",
                "ICH_INFERENCE_EXPORT_DESTINATIONS_VNA_KIND", "stow",
                "ICH_INFERENCE_EXPORT_DESTINATIONS_VNA_URL", "https://vna.example/dicom-web",
                "ICH_INFERENCE_EXPORT_DESTINATIONS_VNA_BEARER_TOKEN", "t0ken",
                "ICH_INFERENCE_EXPORT_DESTINATIONS_VNA_MAX_BACKOFF", "10m"));
        assertThat(c.destinations()).containsOnlyKeys("pacs", "vna");
        ExportConfig.Destination pacs = c.destinations().get("pacs");
        assertThat(pacs.kind()).isEqualTo(ExportConfig.Kind.DIMSE);
        assertThat(pacs.host()).contains("pacs.hospital.example");
        assertThat(pacs.port()).contains(11112);
        assertThat(pacs.calledAeTitle()).contains("MAINPACS");
        assertThat(pacs.callingAeTitle()).isEqualTo("ICH");
        assertThat(pacs.maxAttempts()).isEqualTo(30);
        ExportConfig.Destination vna = c.destinations().get("vna");
        assertThat(vna.kind()).isEqualTo(ExportConfig.Kind.STOW);
        assertThat(vna.url()).contains(URI.create("https://vna.example/dicom-web"));
        assertThat(vna.bearerToken()).contains("t0ken");
        assertThat(vna.maxBackoff()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void noDestinationIsTheDefaultAndEachDestinationHasTheDocumentedDefaults() {
        assertThat(fromEnvironment(Map.of()).destinations()).isEmpty();
        ExportConfig c = fromEnvironment(Map.of("ICH_INFERENCE_EXPORT_DESTINATIONS_PACS_KIND", "dimse"));
        ExportConfig.Destination d = c.destinations().get("pacs");
        assertThat(d.maxAttempts()).isEqualTo(10);
        assertThat(d.initialBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.maxBackoff()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.callingAeTitle()).isEqualTo("ICH");
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void storeStatusesAreReadAsStoredRetryOrGiveUp() {
        for (int stored : new int[] {0x0000, 0xB000, 0xB006, 0xB007, 0x0111}) {
            assertThat(StoreStatus.classify(stored, null).outcome()).as("%04X", stored).isEqualTo(Delivery.Outcome.SENT);
        }
        for (int permanent : new int[] {0x0122, 0xA900, 0xA9FF, 0xC000, 0xC123}) {
            assertThat(StoreStatus.classify(permanent, null).outcome()).as("%04X", permanent).isEqualTo(Delivery.Outcome.PERMANENT);
        }
        for (int retried : new int[] {0xA700, 0xA7FF, 0x0110, 0x0124, 0x0212}) {
            assertThat(StoreStatus.classify(retried, null).outcome()).as("%04X", retried).isEqualTo(Delivery.Outcome.REFUSED);
        }
        assertThat(StoreStatus.classify(0xA900, "no pixel data").reason()).isEqualTo("status A900 (data set does not match SOP class): no pixel data");
    }
}
