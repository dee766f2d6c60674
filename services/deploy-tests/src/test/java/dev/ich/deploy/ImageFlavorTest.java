package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** image.flavor: native moves the services that ship a native executable (training) to their -native image, no other. */
class ImageFlavorTest {
    @Test
    void nativeFlavorSwitchesOnlyTrainingToItsNativeImage() {
        Map<String, String> jvm = images(Map.of("image.tag", "0.2.0"));
        Map<String, String> nativeFlavor = images(Map.of("image.tag", "0.2.0", "image.flavor", "native"));
        assertThat(jvm).isNotEmpty().allSatisfy((deployment, image) -> assertThat(image).endsWith(":0.2.0"));
        assertThat(nativeFlavor.entrySet()).allSatisfy(e -> assertThat(e.getValue())
                .isEqualTo(e.getKey().endsWith("-training") ? jvm.get(e.getKey()) + "-native" : jvm.get(e.getKey())));
        assertThat(nativeFlavor.values()).anyMatch(i -> i.contains("/ich-training:0.2.0-native"));
    }

    @Test
    void anUnknownFlavorIsRefusedByTheSchema() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("image.flavor", "graal"))).hasMessageContaining("flavor");
    }

    /** Deployment name to its first container's image. */
    private static Map<String, String> images(Map<String, Object> set) {
        Map<String, String> out = new TreeMap<>();
        for (HasMetadata o : Manifests.parse(Chart.template(List.of(), set))) {
            if (o instanceof Deployment d) out.put(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        }
        return out;
    }
}
