package dev.ich.deploy;

import dev.ich.core.clean.HistogramBins;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * cleaning.pipelineBins: the breakpoints POST /pipelines/bins computes on a site's own data reach the cleaning pods as
 * the file ICH_CLEANING_PIPELINE_BINS_FILE names, the text the cleaning service parses, and a new text rolls the pods.
 */
class CleaningBinsTest {

    @Test
    void theShippedBinsNeedNoConfigMapAndNoMount() {
        List<HasMetadata> all = Manifests.parse(Chart.template(List.of(), Map.of()));
        assertThat(all).noneSatisfy(r -> assertThat(r.getMetadata().getName()).isEqualTo("ich-cleaning-bins"));
        assertThat(Manifests.named(all, ConfigMap.class, "ich-cleaning").getData()).doesNotContainKey("ICH_CLEANING_PIPELINE_BINS_FILE");
    }

    @Test
    void binsOfTheSiteAreMountedWhereTheSettingPointsAndParseBackToTheSameBreakpoints(@TempDir Path tmp) throws IOException {
        // what ./ich bins and POST /pipelines/bins write: a JSON array of HU breakpoints
        HistogramBins site = shifted(HistogramBins.defaults(), 7.5);
        List<HasMetadata> all = Manifests.parse(Chart.template(List.of(values(tmp, "site.yaml", site)), Map.of()));

        String file = Manifests.named(all, ConfigMap.class, "ich-cleaning").getData().get("ICH_CLEANING_PIPELINE_BINS_FILE");
        assertThat(file).isEqualTo("/etc/ich/bins/bins.txt");
        ConfigMap bins = Manifests.named(all, ConfigMap.class, "ich-cleaning-bins");
        assertThat(HistogramBins.parse(bins.getData().get("bins.txt"))).isEqualTo(site);

        PodSpec pod = Manifests.named(all, Deployment.class, "ich-cleaning").getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("bins");
            assertThat(file).startsWith(m.getMountPath() + "/");
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("bins");
            assertThat(v.getConfigMap().getName()).isEqualTo("ich-cleaning-bins");
        });
        // no other component reads the bins: inference takes the pipeline from the model it serves
        for (String other : List.of("ingest", "labeling", "training", "inference")) {
            assertThat(Manifests.named(all, ConfigMap.class, "ich-" + other).getData()).doesNotContainKey("ICH_CLEANING_PIPELINE_BINS_FILE");
        }
    }

    @Test
    void otherBinsRollTheCleaningPods(@TempDir Path tmp) throws IOException {
        String a = checksum(Chart.template(List.of(values(tmp, "a.yaml", shifted(HistogramBins.defaults(), 1))), Map.of()));
        String b = checksum(Chart.template(List.of(values(tmp, "b.yaml", shifted(HistogramBins.defaults(), 2))), Map.of()));
        assertThat(a).isNotBlank().isNotEqualTo(b);
    }

    @Test
    void textThatIsNotNumbersIsRefusedAtInstall(@TempDir Path tmp) throws IOException {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "cleaning:\n  pipelineBins: \"{\\\"bins\\\": [1, 2]}\"\n");
        assertThatThrownBy(() -> Chart.template(List.of(bad), Map.of()))
                .hasMessageContaining("pipelineBins");
    }

    private static HistogramBins shifted(HistogramBins bins, double hu) {
        return new HistogramBins(Arrays.stream(bins.edges()).map(e -> e + hu).toArray());
    }

    private static Path values(Path dir, String name, HistogramBins bins) throws IOException {
        String json = Arrays.toString(bins.edges());
        Path f = dir.resolve(name);
        Files.writeString(f, "cleaning:\n  pipelineBins: '" + json + "'\n");
        return f;
    }

    private static String checksum(String yaml) {
        return Manifests.named(Manifests.parse(yaml), Deployment.class, "ich-cleaning")
                .getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/bins");
    }
}
