package dev.ich.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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

    /**
     * The `helm test` hooks of the evaluation baseline plus {@code set}. helm-java's template and install --dry-run
     * leave hooks out of their output, so a copy of the chart whose test templates carry the hook annotation under
     * another name renders them as plain objects; the name is put back on what is returned.
     */
    public static List<HasMetadata> hooks(Map<String, Object> set) {
        Path copy;
        try {
            copy = Files.createTempDirectory("ich-chart");
            try (var files = Files.walk(Repo.chart())) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(Repo.chart().relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(target);
                    else if (p.startsWith(Repo.chart().resolve("templates/tests"))) Files.writeString(target, Files.readString(p).replace(HOOK, PLAIN));
                    else Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TemplateCommand t = new Helm(copy).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (Path f : ciFiles(EVALUATION)) t = t.withValuesFile(f);
        for (var e : set.entrySet()) t = t.set(e.getKey(), e.getValue());
        List<HasMetadata> hooks = new ArrayList<>();
        for (HasMetadata r : Manifests.parse(t.call())) {
            Map<String, String> annotations = r.getMetadata().getAnnotations();
            if (annotations == null || !annotations.containsKey(PLAIN_KEY)) continue;
            annotations.put(HOOK_KEY, annotations.remove(PLAIN_KEY));
            hooks.add(r);
        }
        return hooks;
    }

    private static final String HOOK_KEY = "helm.sh/hook";
    private static final String PLAIN_KEY = "rendered-by.deploy-tests/hook";
    private static final String HOOK = "\"" + HOOK_KEY + "\":";
    private static final String PLAIN = "\"" + PLAIN_KEY + "\":";

    static List<Path> ciFiles(String... names) {
        return java.util.Arrays.stream(names).map(n -> Repo.chart().resolve("ci").resolve(n)).toList();
    }
}
