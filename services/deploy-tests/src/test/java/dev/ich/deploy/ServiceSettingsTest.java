package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting a service reads in a pod comes from the chart, and every setting the chart gives a service is one
 * it reads. Read from the services' own sources: application.properties (${VAR} references) and the
 * {@code @ConfigMapping} interfaces. A service not in this tree yet (built in another branch) is checked once it is.
 */
class ServiceSettingsTest {
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"ich\\.([a-z]+)\"\\)");
    private static final Pattern METHOD = Pattern.compile("\\s(\\w+)\\(\\);");

    /** What a pod must set although the service has a default: the defaults point at a developer's machine. */
    static final Map<String, Set<String>> REQUIRED_IN_A_POD = Map.of(
            "ingest", Set.of("ICH_INGEST_DIMSE_PORT"),
            "cleaning", Set.of("ICH_CLEANING_WORKERS"),
            "labeling", Set.of("ICH_LABELING_DATABASE", "ICH_LABELING_WORK_DIRECTORY"),
            "training", Set.of("ICH_TRAINING_LAUNCHER", "ICH_TRAINING_KUBERNETES_TEMPLATE"),
            "inference", Set.of("ICH_INFERENCE_WORK_DIRECTORY"));
    /**
     * Read by every service (Quarkus, the storage and auth settings of services/runtime) or by the image (JVM, DJL).
     * ICH_AUTH_* are issue 16's contract, read by services/runtime in all five services, not by each service's
     * own mapping. ICH_AUTH_AUDIENCE and ICH_AUTH_ROLE_MAP are optional, so only the first three are required.
     */
    static final Set<String> COMMON_REQUIRED = Set.of("KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_HTTP_PORT", "QUARKUS_MANAGEMENT_PORT",
            "ICH_STORAGE_ENDPOINT", "ICH_STORAGE_ACCESS_KEY", "ICH_STORAGE_SECRET_KEY", "ICH_STORAGE_BUCKET",
            "ICH_AUTH_ENABLED", "ICH_AUTH_ISSUER_URL", "ICH_AUTH_ROLES_CLAIM");
    static final Set<String> COMMON = union(COMMON_REQUIRED, Set.of("ICH_AUTH_AUDIENCE", "ICH_AUTH_ROLE_MAP"));
    static final Set<String> FOR_THE_IMAGE = Set.of("JAVA_OPTS_APPEND", "DJL_CACHE_DIR");

    @Test
    void eachDeploymentSetsWhatItsServiceReadsAndNothingItDoesNot() {
        List<HasMetadata> all = Chart.render("gpu-kueue-values.yaml");
        List<String> checked = new ArrayList<>();
        for (String service : ChartTest.COMPONENTS) {
            Path dir = Repo.HOME.resolve("services").resolve(service);
            if (!Files.isDirectory(dir.resolve("src/main/java"))) continue; // only its Dockerfile here: not in this tree yet
            checked.add(service);
            Set<String> set = podEnvironment(all, service);

            Set<String> needed = new HashSet<>(COMMON_REQUIRED);
            needed.addAll(REQUIRED_IN_A_POD.get(service));
            needed.addAll(envReferences(dir.resolve("src/main/resources/application.properties")));
            assertThat(set).as("environment of ich-%s covers what %s reads", service, service).containsAll(needed);

            Set<String> readable = settingNames(dir, service);
            for (String name : set) {
                if (COMMON.contains(name) || FOR_THE_IMAGE.contains(name)) continue;
                assertThat(readable).as("ich-%s sets %s: is it a setting of ich.%s (%s)?", service, name, service, readable)
                        .contains(name);
            }
        }
        assertThat(checked).as("services found in this tree").contains("ingest", "cleaning", "labeling");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    /**
     * The component's environment as the container sees it: ConfigMap data (envFrom), then env entries (a Secret
     * reference as {@code secret:<name>/<key>}).
     */
    static Map<String, String> podEnvironmentValues(List<HasMetadata> all, String service) {
        Container c = Manifests.named(all, Deployment.class, "ich-" + service).getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = new java.util.TreeMap<>();
        c.getEnvFrom().forEach(f -> env.putAll(Manifests.named(all, ConfigMap.class, f.getConfigMapRef().getName()).getData()));
        for (var e : c.getEnv()) {
            env.put(e.getName(), e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null
                    ? "secret:" + e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey()
                    : e.getValue());
        }
        return env;
    }

    /** ConfigMap keys (envFrom) and env entries of the component's container. */
    static Set<String> podEnvironment(List<HasMetadata> all, String service) {
        Container c = Manifests.named(all, Deployment.class, "ich-" + service).getSpec().getTemplate().getSpec().getContainers().get(0);
        Set<String> names = new HashSet<>();
        c.getEnv().forEach(e -> names.add(e.getName()));
        c.getEnvFrom().forEach(f -> names.addAll(Manifests.named(all, ConfigMap.class, f.getConfigMapRef().getName()).getData().keySet()));
        return names;
    }

    static Set<String> envReferences(Path properties) {
        Set<String> vars = new HashSet<>();
        if (!Files.exists(properties)) return vars;
        try {
            for (String line : Files.readAllLines(properties)) {
                if (line.startsWith("#") || line.startsWith("%test.") || line.startsWith("%dev.")) continue;
                Matcher m = ENV_REFERENCE.matcher(line);
                while (m.find()) vars.add(m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return vars;
    }

    /**
     * ICH_&lt;SERVICE&gt;_... names of the service's @ConfigMapping: a method, or a group method then a method
     * (dimse().aeTitle() is ICH_INGEST_DIMSE_AE_TITLE).
     */
    static Set<String> settingNames(Path serviceDir, String service) {
        Set<String> methods = new HashSet<>();
        try (Stream<Path> files = Files.walk(serviceDir.resolve("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher mapping = CONFIG_MAPPING.matcher(src);
                if (!mapping.find() || !mapping.group(1).equals(service)) continue;
                Matcher m = METHOD.matcher(src);
                while (m.find()) methods.add(m.group(1).replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(methods).as("the @ConfigMapping(prefix = \"ich.%s\") of services/%s", service, service).isNotEmpty();
        Set<String> names = new HashSet<>();
        String prefix = "ICH_" + service.toUpperCase() + "_";
        for (String a : methods) {
            names.add(prefix + a);
            for (String b : methods) names.add(prefix + a + "_" + b);
        }
        return names;
    }
}
