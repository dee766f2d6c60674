package dev.ich.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's NetworkPolicies, parsed with fabric8 and evaluated the way the API defines them: which ich pods a
 * policy selects (matchLabels and matchExpressions against each pod template's labels, the trainer Job's too), and
 * every (pod, direction, port, peer) its rules allow. The whole set is compared with the flows the services need,
 * so a rule that allows more (another port, an empty peer list = anyone, an empty port list = every port) fails.
 */
class NetworkPolicyTest {
    static final List<String> SERVICES = ChartTest.COMPONENTS;
    static final List<String> ALL_PODS = List.of("ingest", "cleaning", "labeling", "training", "inference", "trainer");
    static final String DNS = "ns{kubernetes.io/metadata.name=kube-system} pod{k8s-app=kube-dns}";
    static final String PROMETHEUS = "ns{kubernetes.io/metadata.name=monitoring} pod{app.kubernetes.io/name=prometheus}";
    /** The `helm test` Pod (templates/tests/readiness-test.yaml), to the management port only. */
    static final String READINESS_TEST = "pod{app.kubernetes.io/component=readiness-test,app.kubernetes.io/instance=ich,app.kubernetes.io/part-of=ich}";
    static final String INGRESS_NGINX = "ns{kubernetes.io/metadata.name=ingress-nginx} pod{app.kubernetes.io/name=ingress-nginx}";

    @Test
    void everyIchPodIsDeniedEverythingByDefault() {
        List<HasMetadata> all = Chart.render();
        Map<String, Map<String, String>> pods = podLabels(all);
        NetworkPolicy deny = Manifests.named(all, NetworkPolicy.class, "ich-default-deny");
        assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
        assertThat(deny.getSpec().getEgress()).isNullOrEmpty();
        assertThat(selected(deny, pods)).as("the default deny selects every ich pod, the trainer Jobs' too")
                .containsExactlyInAnyOrderElementsOf(ALL_PODS);
    }

    @Test
    void evaluationAllowsExactlyDnsKafkaStorageIssuerApiServerPrometheusAndTheDicomSenders() {
        Set<String> expected = everyPodReaches("9092/TCP", "pod{strimzi.io/cluster=ich,strimzi.io/kind=Kafka,strimzi.io/name=ich-kafka}",
                "9000/TCP", "pod{app.kubernetes.io/name=minio}");
        for (String s : SERVICES) {
            expected.add(flow("out", s, "443/TCP", "cidr 203.0.113.10/32"));
            expected.add(flow("in", s, "management/TCP", PROMETHEUS));
            expected.add(flow("in", s, "management/TCP", READINESS_TEST));
        }
        expected.add(flow("out", "training", "443/TCP", "cidr 10.0.0.1/32"));
        expected.add(flow("out", "training", "6443/TCP", "cidr 10.0.0.1/32"));
        expected.add(flow("in", "ingest", "dicom/TCP", "cidr 10.20.0.0/16"));

        assertThat(allowed(Chart.render())).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void externalServicesAndTheIngressControllerGetTheirOwnPeersAndPortsOnly() {
        Set<String> expected = everyPodReaches("9092/TCP", "cidr 10.40.0.0/24", "443/TCP", "cidr 52.218.0.0/17");
        for (String s : SERVICES) {
            expected.add(flow("out", s, "443/TCP", "cidr 20.190.128.0/18"));
            expected.add(flow("out", s, "443/TCP", "cidr 40.126.0.0/18"));
            expected.add(flow("in", s, "management/TCP", PROMETHEUS));
            expected.add(flow("in", s, "management/TCP", READINESS_TEST));
        }
        // The Ingress routes these four (cleaning has no public API), and to their API port only.
        for (String s : List.of("ingest", "labeling", "training", "inference")) {
            expected.add(flow("in", s, "http/TCP", INGRESS_NGINX));
        }
        expected.add(flow("out", "training", "443/TCP", "cidr 172.20.0.1/32"));
        expected.add(flow("in", "ingest", "dicom/TCP", "cidr 10.30.4.0/24"));

        assertThat(allowed(Chart.render("external-values.yaml"))).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void withNoDicomSendersNamedNobodyReachesTheDicomPortAndOffMeansNoPolicies() {
        List<HasMetadata> none = Manifests.parse(Chart.template(List.of(), Map.of("networkPolicy.dicomFrom", "null")));
        assertThat(allowed(none)).noneMatch(f -> f.contains("dicom"));
        assertThat(Manifests.ofType(none, NetworkPolicy.class)).isNotEmpty();

        List<HasMetadata> off = Manifests.parse(Chart.template(List.of(), Map.of("networkPolicy.enabled", false)));
        assertThat(Manifests.ofType(off, NetworkPolicy.class)).isEmpty();
    }

    static String flow(String direction, String pod, String port, String peer) {
        return direction + " " + pod + " " + port + " " + peer;
    }

    /** Every flow any policy allows, expanded to one line per pod, port and peer. */
    static Set<String> allowed(List<HasMetadata> all) {
        Map<String, Map<String, String>> pods = podLabels(all);
        Set<String> flows = new TreeSet<>();
        for (NetworkPolicy np : Manifests.ofType(all, NetworkPolicy.class)) {
            List<String> targets = selected(np, pods);
            assertThat(targets).as("%s selects some ich pod", np.getMetadata().getName()).isNotEmpty();
            List<String> types = np.getSpec().getPolicyTypes();
            assertThat(types).as("%s states its policy types", np.getMetadata().getName()).isNotEmpty();
            // fabric8 reads an absent rule list as an empty one; either way it allows nothing.
            if (np.getSpec().getIngress() != null && !np.getSpec().getIngress().isEmpty()) {
                assertThat(types).as(np.getMetadata().getName()).contains("Ingress");
                for (var rule : np.getSpec().getIngress()) expand(flows, "in", targets, rule.getPorts(), rule.getFrom());
            }
            if (np.getSpec().getEgress() != null && !np.getSpec().getEgress().isEmpty()) {
                assertThat(types).as(np.getMetadata().getName()).contains("Egress");
                for (var rule : np.getSpec().getEgress()) expand(flows, "out", targets, rule.getPorts(), rule.getTo());
            }
        }
        return flows;
    }

    private static void expand(Set<String> flows, String direction, List<String> pods, List<NetworkPolicyPort> ports, List<NetworkPolicyPeer> peers) {
        // The API's meaning of an empty list: every port, anyone. Spelled out so the comparison fails on them.
        List<String> portNames = ports == null || ports.isEmpty() ? List.of("EVERY-PORT")
                : ports.stream().map(p -> (p.getPort() == null ? "EVERY-PORT"
                : p.getPort().getStrVal() != null ? p.getPort().getStrVal() : String.valueOf(p.getPort().getIntVal()))
                + (p.getEndPort() != null ? "-" + p.getEndPort() : "") + "/" + (p.getProtocol() == null ? "TCP" : p.getProtocol())).toList();
        List<String> peerNames = peers == null || peers.isEmpty() ? List.of("ANYONE") : peers.stream().map(NetworkPolicyTest::peer).toList();
        for (String pod : pods) for (String port : portNames) for (String peer : peerNames) flows.add(flow(direction, pod, port, peer));
    }

    static String peer(NetworkPolicyPeer p) {
        if (p.getIpBlock() != null) {
            String except = p.getIpBlock().getExcept() == null || p.getIpBlock().getExcept().isEmpty() ? ""
                    : " except " + String.join(",", p.getIpBlock().getExcept());
            assertThat(p.getNamespaceSelector()).as("ipBlock stands alone").isNull();
            return "cidr " + p.getIpBlock().getCidr() + except;
        }
        List<String> parts = new ArrayList<>();
        if (p.getNamespaceSelector() != null) parts.add("ns" + selector(p.getNamespaceSelector()));
        if (p.getPodSelector() != null) parts.add("pod" + selector(p.getPodSelector()));
        return parts.isEmpty() ? "ANYONE" : String.join(" ", parts);
    }

    private static String selector(LabelSelector s) {
        assertThat(s.getMatchExpressions()).as("peers select by labels only in these tests").isNullOrEmpty();
        Map<String, String> labels = s.getMatchLabels() == null ? Map.of() : new TreeMap<>(s.getMatchLabels());
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
    }

    /** Pod labels by component: each Deployment's pod template and the trainer Job template's pods. */
    static Map<String, Map<String, String>> podLabels(List<HasMetadata> all) {
        Map<String, Map<String, String>> pods = new LinkedHashMap<>();
        for (Deployment d : Manifests.ofType(all, Deployment.class)) {
            pods.put(d.getMetadata().getName().replaceFirst("^ich-", ""), d.getSpec().getTemplate().getMetadata().getLabels());
        }
        pods.put("trainer", JobTemplates.job(all).getSpec().getTemplate().getMetadata().getLabels());
        assertThat(pods.keySet()).containsExactlyInAnyOrderElementsOf(ALL_PODS);
        return pods;
    }

    static List<String> selected(NetworkPolicy np, Map<String, Map<String, String>> pods) {
        return pods.entrySet().stream().filter(e -> matches(np.getSpec().getPodSelector(), e.getValue())).map(Map.Entry::getKey).toList();
    }

    /** A LabelSelector as the API server evaluates it. */
    static boolean matches(LabelSelector s, Map<String, String> labels) {
        if (s.getMatchLabels() != null) {
            for (var e : s.getMatchLabels().entrySet()) if (!e.getValue().equals(labels.get(e.getKey()))) return false;
        }
        if (s.getMatchExpressions() != null) {
            for (var x : s.getMatchExpressions()) {
                String v = labels.get(x.getKey());
                boolean ok = switch (x.getOperator()) {
                    case "In" -> v != null && x.getValues().contains(v);
                    case "NotIn" -> v == null || !x.getValues().contains(v);
                    case "Exists" -> v != null;
                    case "DoesNotExist" -> v == null;
                    default -> throw new AssertionError("unknown operator " + x.getOperator());
                };
                if (!ok) return false;
            }
        }
        return true;
    }

    /** What every ich pod may reach, the trainer Jobs' too: DNS, and Kafka and the object storage at these ports and peers. */
    private static Set<String> everyPodReaches(String kafkaPort, String kafka, String storagePort, String storage) {
        Set<String> flows = new TreeSet<>();
        for (String p : ALL_PODS) {
            flows.add(flow("out", p, "53/UDP", DNS));
            flows.add(flow("out", p, "53/TCP", DNS));
            flows.add(flow("out", p, kafkaPort, kafka));
            flows.add(flow("out", p, storagePort, storage));
        }
        return flows;
    }
}
