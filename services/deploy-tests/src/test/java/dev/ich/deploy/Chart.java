package dev.ich.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** helm/ich rendered through helm-java (Helm's own Go code, in-process) as release "ich" in namespace "ich". */
public final class Chart {
    static final String RELEASE = "ich";
    static final String NAMESPACE = "ich";
    static final String KUBE_VERSION = "v1.31.0";
    /**
     * What every install must add to the chart's defaults (an issuer, the Secrets, the issuer's and the API
     * server's networks): the chart refuses to render without them, so tests that vary one value start here.
     */
    static final String EVALUATION = "evaluation-values.yaml";

    private Chart() {
    }

    /** The evaluation baseline, then {@code valuesFiles}, then {@code set}. */
    public static String template(List<Path> valuesFiles, Map<String, Object> set) {
        List<Path> files = new ArrayList<>(ciFiles(EVALUATION));
        files.addAll(valuesFiles);
        return templateBare(files, set);
    }

    /** The chart's own defaults, then {@code valuesFiles}, then {@code set}: nothing added. */
    public static String templateBare(List<Path> valuesFiles, Map<String, Object> set) {
        // Helm's offline default is Kubernetes 1.20; render for a current cluster (Chart.yaml asks for 1.27 or later).
        TemplateCommand t = new Helm(Repo.chart()).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (Path f : valuesFiles) t = t.withValuesFile(f);
        for (var e : set.entrySet()) t = t.set(e.getKey(), e.getValue());
        return t.call();
    }

    /** Each file of helm/ich/ci alone (as chart-testing installs them); none: the evaluation file. */
    public static List<HasMetadata> render(String... ciValues) {
        return Manifests.parse(templateBare(ciFiles(ciValues.length == 0 ? new String[] {EVALUATION} : ciValues), Map.of()));
    }

    /** NOTES.txt as `helm install --dry-run` prints it (client only: no cluster is contacted). */
    public static String notes(List<Path> valuesFiles, Map<String, Object> set) {
        var install = new Helm(Repo.chart()).install().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
                .dryRun().clientOnly();
        for (Path f : valuesFiles) install = install.withValuesFile(f);
        for (var e : set.entrySet()) install = install.set(e.getKey(), e.getValue());
        return install.call().getOutput();
    }

    static List<Path> ciFiles(String... names) {
        return java.util.Arrays.stream(names).map(n -> Repo.chart().resolve("ci").resolve(n)).toList();
    }
}
