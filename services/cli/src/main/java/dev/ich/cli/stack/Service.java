package dev.ich.cli.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Quarkus service of the local stack: its name, its slot among the HTTP ports, and the runnable
 * fast-jar the build leaves at services/&lt;name&gt;/target/quarkus-app/quarkus-run.jar. Services
 * join the stack by existing: {@link #available(Path)} lists those that are built.
 */
public record Service(String name, int slot) {
    public static final List<Service> ALL = List.of(new Service("ingest", 0), new Service("cleaning", 1),
            new Service("labeling", 2), new Service("training", 3), new Service("inference", 4));

    /** The service called {@code name}; an unknown name is a programming error. */
    public static Service named(String name) {
        return ALL.stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stack component " + name + "; components: kafka, s3, oidc, "
                        + LocalPacs.NAME + ", " + String.join(", ", ALL.stream().map(Service::name).toList())));
    }

    public static List<Service> available(Path home) {
        return ALL.stream().filter(s -> Files.isRegularFile(s.jar(home))).toList();
    }

    /**
     * What {@code ./ich up} waits for: readiness, except for inference, which is rightly not ready until a model is
     * promoted (docs/inference.md) and so counts as started once it is live.
     */
    public String startedPath() {
        return name.equals("inference") ? "/q/health/live" : "/q/health/ready";
    }

    public Path jar(Path home) {
        return home.resolve("services").resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public int httpPort(StackPorts ports) {
        return ports.httpBase + slot;
    }

    /** Health, metrics and OpenAPI: the management interface, {@link StackPorts#MANAGEMENT_OFFSET} above the API port. */
    public int managementPort(StackPorts ports) {
        return httpPort(ports) + StackPorts.MANAGEMENT_OFFSET;
    }

    public String url(StackPorts ports) {
        return "http://" + ports.urlHost() + ":" + httpPort(ports);
    }

    public String managementUrl(StackPorts ports) {
        return "http://" + ports.urlHost() + ":" + managementPort(ports);
    }

    /** Environment for this service: the shared endpoints plus what only it needs. */
    public Map<String, String> environment(StackPorts ports, Map<String, String> shared) {
        Map<String, String> env = new java.util.LinkedHashMap<>(shared);
        // Quarkus binds every interface unless told otherwise; the stack binds its one address (loopback by default).
        env.put("QUARKUS_HTTP_HOST", ports.listen);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort(ports)));
        env.put("QUARKUS_MANAGEMENT_HOST", ports.listen);
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort(ports)));
        if (name.equals("ingest")) {
            env.put("ICH_INGEST_DIMSE_HOST", ports.listen);
            env.put("ICH_INGEST_DIMSE_PORT", Integer.toString(ports.dimse));
            // C-STORE senders of the local stack: the demo's (ICH-DEMO), dcmtk's storescu default (STORESCU),
            // echoscu's (ECHOSCU) and the local PACS (ORTHANC); ingest refuses every other calling AE title at association.
            env.putIfAbsent("ICH_INGEST_DIMSE_ALLOWED_CALLING_AE_TITLES", "ICH-DEMO,STORESCU,ECHOSCU,ORTHANC");
            // A study is triaged once no instance arrived for this long: the production default (60 s) would only make
            // the demo wait; a sender of the local stack sends a study in one go.
            env.putIfAbsent("ICH_INGEST_STUDY_STABLE_AGE", "10s");
        }
        // The metadata-only forest's OpenMP threads (XGBoost) sleep when idle instead of spinning: on a machine the
        // stack shares, spinning made the fit about 10x slower (docs/benchmarks.md, "Metadata-only forest").
        if (name.equals("labeling")) env.putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        // ./ich bench predict compares the service with the model's raw forward pass, measured in the service's process.
        if (name.equals("inference")) env.put("ICH_INFERENCE_BENCH_ENDPOINT", "true");
        return env;
    }
}
