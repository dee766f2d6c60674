package dev.ich.core.clean;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineVersionTest {
    private final PipelineConfig base = PipelineConfig.defaults();

    @Test
    void theSameConfigurationAlwaysHasTheSameVersionAndAnyChangeANewOne() {
        assertThat(base.version()).isEqualTo(PipelineConfig.defaults().version());
        assertThat(base.version().id()).matches("p[0-9a-f]{12}");
        assertThat(base.withSize(128).version()).isNotEqualTo(base.version());
        assertThat(base.withDropThreshold(0.2).version()).isNotEqualTo(base.version());
        assertThat(base.withChannels(List.of(Channel.parse("brain"), Channel.parse("subdural"), Channel.parse("bone")))
                .version()).isNotEqualTo(base.version());
        assertThat(base.withBins(new HistogramBins(new double[] {-1000, 0, 100})).version()).isNotEqualTo(base.version());
    }

    @Test
    void theCanonicalJsonSpellsOutWindowsAndBins() {
        String json = PipelineVersion.canonicalJson(base);
        assertThat(json).startsWith("{\"algorithm\":1,\"channels\":[{\"name\":\"brain\",\"width\":80,\"level\":40},"
                + "{\"name\":\"subdural\",\"width\":254,\"level\":100},{\"name\":\"hist\"}],\"size\":256");
        assertThat(json).contains("\"bins\":[");
    }

    @Test
    void impossibleConfigurationsAreRefusedWithAReason() {
        assertThatThrownBy(() -> base.withChannels(List.of(Channel.parse("brain"), Channel.parse("subdural"))))
                .hasMessageContaining("1 or 3 channels");
        assertThatThrownBy(() -> base.withSize(2)).hasMessageContaining("8..4096");
        assertThatThrownBy(() -> new PipelineVersion("v1")).hasMessageContaining("not a pipeline version");
    }
}
