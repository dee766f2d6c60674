package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rendered YAML into fabric8's typed objects, strictly: a kind fabric8 knows must parse into its class, and no
 * field anywhere may land in a model's additionalProperties (fabric8's catch-all for fields it does not know,
 * which is where a misspelt or misplaced key ends up instead of failing).
 */
final class Manifests {
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** Kinds of CRDs (Strimzi, Kueue, Prometheus Operator) that fabric8's core model does not type. */
    static final Set<String> CUSTOM_KINDS = Set.of("Kafka", "KafkaNodePool", "KafkaTopic", "ResourceFlavor", "ClusterQueue",
            "LocalQueue", "ServiceMonitor");
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private Manifests() {
    }

    /** Every non-empty document of a multi-document YAML stream, parsed and checked. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : DOCUMENT_SEPARATOR.split(yaml)) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) continue;
            out.add(parseOne(doc));
        }
        return out;
    }

    static HasMetadata parseOne(String doc) {
        Object parsed = SERIALIZATION.unmarshal(doc);
        if (!(parsed instanceof HasMetadata resource)) {
            throw new AssertionError("not a Kubernetes object: " + doc.lines().limit(5).toList());
        }
        if (resource instanceof GenericKubernetesResource && !CUSTOM_KINDS.contains(resource.getKind())) {
            throw new AssertionError(resource.getApiVersion() + " " + resource.getKind() + " " + resource.getMetadata().getName()
                    + " is no type fabric8 knows: a wrong apiVersion or kind?");
        }
        if (!(resource instanceof GenericKubernetesResource)) {
            List<String> unknown = new ArrayList<>();
            unknownFields(resource, resource.getKind(), unknown);
            if (!unknown.isEmpty()) {
                throw new AssertionError(resource.getKind() + " " + resource.getMetadata().getName() + " has fields its type does not have: " + unknown);
            }
        }
        return resource;
    }

    /** Paths of fields that fabric8 kept in additionalProperties (unknown to the schema) anywhere under {@code o}. */
    static void unknownFields(Object o, String path, List<String> unknown) {
        if (o == null) return;
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) unknownFields(e, path + "[" + i++ + "]", unknown);
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) unknownFields(e.getValue(), path + "." + e.getKey(), unknown);
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) return;
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) continue;
            Object value;
            try {
                value = m.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
                continue;
            }
            unknownFields(value, path + "." + Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4), unknown);
        }
    }

    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> all, Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> all, Class<T> type, String name) {
        return ofType(all, type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name + " among "
                        + ofType(all, type).stream().map(r -> r.getMetadata().getName()).toList()));
    }
}
