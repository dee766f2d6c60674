package dev.ich.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** helm/ich rendered through helm-java (Helm's own Go code, in-process) as release "ich" in namespace "ich". */
public final class Chart {
    static final String RELEASE = "ich";
    static final String NAMESPACE = "ich";
    static final String KUBE_VERSION = "v1.31.0";

    private Chart() {
    }

    public static String template(List<Path> valuesFiles, Map<String, Object> set) {
        // Helm's offline default is Kubernetes 1.20; render for a current cluster (Chart.yaml asks for 1.27 or later).
        TemplateCommand t = new Helm(Repo.chart()).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (Path f : valuesFiles) t = t.withValuesFile(f);
        for (var e : set.entrySet()) t = t.set(e.getKey(), e.getValue());
        return t.call();
    }

    public static List<HasMetadata> render(String... ciValues) {
        return Manifests.parse(template(ciFiles(ciValues), Map.of()));
    }

    static List<Path> ciFiles(String... names) {
        return java.util.Arrays.stream(names).map(n -> Repo.chart().resolve("ci").resolve(n)).toList();
    }
}
