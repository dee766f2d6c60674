package dev.ich.training.launch;

import dev.ich.runtime.DaemonThreads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a job as one {@code batch/v1} Job built from the template the Helm chart renders into a ConfigMap
 * (docs/training-api.md, "Job template"): the template decides image, command, GPU node pool, tolerations and
 * limits; this class adds the job's identity, its limits and the trainer's arguments. A sweep is one Job with
 * indexed completions, each index running the seed stored at {@code jobs/<id>/runs/<index>.json}. The Job and its
 * pods are polled: suspended (Kueue) or unschedulable keeps the job pending with the reason; the Job's Complete
 * or Failed condition ends it.
 */
public final class KubernetesLauncher implements Launcher {
    private static final Logger LOG = Logger.getLogger(KubernetesLauncher.class);

    private final KubernetesClient client;
    private final Path templateFile;
    private final String namespace;
    private final Optional<String> queueName;
    private final Map<String, String> trainerEnv;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = DaemonThreads.scheduler("kubernetes-job-poller");

    private record Watched(String jobId, String name, Listener listener) {
    }

    /**
     * @param trainerEnv environment the trainer container gets unless the template already sets the variable
     *                   (endpoints, bucket; credentials belong in the template, from a Secret)
     */
    public KubernetesLauncher(KubernetesClient client, Path templateFile, Optional<String> namespace, Optional<String> queueName,
                              Map<String, String> trainerEnv, Duration pollInterval) {
        this.client = client;
        this.templateFile = templateFile;
        this.namespace = namespace.orElse(client.getNamespace() == null ? "default" : client.getNamespace());
        this.queueName = queueName;
        this.trainerEnv = trainerEnv;
        poller.scheduleWithFixedDelay(this::pollAll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public String notReadyReason() {
        try {
            template();
            return null;
        } catch (LaunchException e) {
            return e.getMessage();
        }
    }

    /** The template, parsed afresh (each Job gets its own copy) and checked. */
    Job template() {
        String yaml;
        try {
            yaml = Files.readString(templateFile);
        } catch (IOException e) {
            throw new LaunchException("cannot read the Job template " + templateFile + " (ich.training.kubernetes.template): " + e.getMessage(), e);
        }
        Job job;
        try {
            job = client.getKubernetesSerialization().unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), Job.class);
        } catch (RuntimeException e) {
            throw new LaunchException("the Job template " + templateFile + " is not a batch/v1 Job: " + e.getMessage(), e);
        }
        if (job == null || !"batch/v1".equals(job.getApiVersion()) || !"Job".equals(job.getKind())) {
            throw new LaunchException("the Job template " + templateFile + " must be apiVersion batch/v1, kind Job");
        }
        if (job.getSpec() == null || job.getSpec().getTemplate() == null || job.getSpec().getTemplate().getSpec() == null
                || trainer(job) == null) {
            throw new LaunchException("the Job template " + templateFile + " needs spec.template.spec.containers with one named '"
                    + JobLabels.TRAINER_CONTAINER + "'");
        }
        return job;
    }

    private static Container trainer(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> JobLabels.TRAINER_CONTAINER.equals(c.getName())).findFirst().orElse(null);
    }

    /** The Job for a launch: the template with the job's name, labels, limits, queue and the trainer's arguments. */
    Job build(Launch launch) {
        Job job = template();
        String name = JobLabels.jobName(launch.jobId());
        var meta = job.getMetadata() == null ? new io.fabric8.kubernetes.api.model.ObjectMeta() : job.getMetadata();
        job.setMetadata(meta);
        meta.setName(name);
        meta.setGenerateName(null);
        meta.setNamespace(namespace);
        Map<String, String> labels = new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.putAll(JobLabels.of(launch.jobId(), launch.kind()));
        queueName.ifPresent(q -> labels.put(JobLabels.KUEUE_QUEUE, q));
        meta.setLabels(labels);
        Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        annotations.put(JobLabels.SUBMITTED_AT, Instant.now().toString());
        annotations.put(JobLabels.RUNS, String.join(",", launch.runs().stream().map(Launch.RunLaunch::runId).toList()));
        meta.setAnnotations(annotations);

        var spec = job.getSpec();
        // Kueue admits a suspended Job by unsuspending it; without the label nothing would.
        if (labels.containsKey(JobLabels.KUEUE_QUEUE)) spec.setSuspend(true);
        if (launch.options().retries() != null) spec.setBackoffLimit(launch.options().retries());
        else if (spec.getBackoffLimit() == null) spec.setBackoffLimit(JobLabels.DEFAULT_BACKOFF_LIMIT);
        if (launch.options().maxDurationSeconds() != null) spec.setActiveDeadlineSeconds(launch.options().maxDurationSeconds());
        if (spec.getTtlSecondsAfterFinished() == null) spec.setTtlSecondsAfterFinished(JobLabels.DEFAULT_TTL_SECONDS);
        if (launch.sweep()) {
            spec.setCompletionMode("Indexed");
            spec.setCompletions(launch.runs().size());
            spec.setParallelism(launch.runs().size());
        } else {
            spec.setCompletions(1);
            spec.setParallelism(1);
        }
        var podMeta = spec.getTemplate().getMetadata() == null ? new io.fabric8.kubernetes.api.model.ObjectMeta() : spec.getTemplate().getMetadata();
        spec.getTemplate().setMetadata(podMeta);
        Map<String, String> podLabels = new LinkedHashMap<>(podMeta.getLabels() == null ? Map.of() : podMeta.getLabels());
        podLabels.putAll(JobLabels.of(launch.jobId(), launch.kind()));
        podMeta.setLabels(podLabels);
        if (spec.getTemplate().getSpec().getRestartPolicy() == null) spec.getTemplate().getSpec().setRestartPolicy("Never");

        Container trainer = trainer(job);
        // $(JOB_COMPLETION_INDEX): the Job controller sets it in an indexed Job's pods; Kubernetes expands it in args.
        String specKey = launch.sweep() ? Launch.indexedSpecKey(launch.jobId(), "$(JOB_COMPLETION_INDEX)") : launch.runs().get(0).specKey();
        trainer.setArgs(List.of("run", "--spec-key", specKey));
        List<EnvVar> env = new ArrayList<>(trainer.getEnv() == null ? List.of() : trainer.getEnv());
        Map<String, String> add = new LinkedHashMap<>(trainerEnv);
        add.put("ICH_JOB_ID", launch.jobId());
        add.forEach((k, v) -> {
            if (v != null && env.stream().noneMatch(e -> e.getName().equals(k))) env.add(new EnvVar(k, v, null));
        });
        trainer.setEnv(env);
        return job;
    }

    @Override
    public void launch(Launch launch, Listener listener) {
        Job job = build(launch);
        try {
            client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
        } catch (KubernetesClientException e) {
            throw new LaunchException("cannot create the Kubernetes Job " + job.getMetadata().getName() + " in namespace " + namespace
                    + ": " + e.getMessage(), e);
        }
        for (Launch.RunLaunch r : launch.runs()) listener.handle(launch.jobId(), r.runId(), job.getMetadata().getName());
        listener.observed(launch.jobId(), null, job.getSpec().getSuspend() == Boolean.TRUE
                ? LaunchStatus.pending(queued(job)) : LaunchStatus.pending("Job " + job.getMetadata().getName() + " created"));
        watched.put(launch.jobId(), new Watched(launch.jobId(), job.getMetadata().getName(), listener));
    }

    @Override
    public void cancel(Launch launch) {
        Watched w = watched.remove(launch.jobId());
        String name = w != null ? w.name() : JobLabels.jobName(launch.jobId());
        // Background propagation: the Job goes now, the garbage collector removes its pods (and stops them).
        client.batch().v1().jobs().inNamespace(namespace).withName(name)
                .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
    }

    @Override
    public void recover(Launch launch, Listener listener) {
        watched.put(launch.jobId(), new Watched(launch.jobId(), JobLabels.jobName(launch.jobId()), listener));
        poll(watched.get(launch.jobId()));
    }

    /** Looks at every unfinished Job now (the poller does it every poll interval). */
    public void pollAll() {
        for (Watched w : List.copyOf(watched.values())) {
            try {
                poll(w);
            } catch (RuntimeException e) {
                LOG.warnf("cannot read Kubernetes Job %s: %s", w.name(), e.getMessage());
            }
        }
    }

    private void poll(Watched w) {
        LaunchStatus s = status(w.name());
        if (s.state().terminal()) watched.remove(w.jobId());
        w.listener().observed(w.jobId(), null, s);
    }

    /** The job's state as Kubernetes shows it: the Job's conditions first, then its pods. */
    LaunchStatus status(String name) {
        Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        if (job == null) return LaunchStatus.failed(dev.ich.training.jobs.Job.RUN_LOST, "the Kubernetes Job " + name + " was deleted outside the training service");
        List<JobCondition> conditions = job.getStatus() == null || job.getStatus().getConditions() == null ? List.of()
                : job.getStatus().getConditions();
        for (JobCondition c : conditions) {
            if (!"True".equals(c.getStatus())) continue;
            if ("Complete".equals(c.getType()) || "SuccessCriteriaMet".equals(c.getType())) return LaunchStatus.succeeded();
            if ("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType())) {
                // activeDeadlineSeconds (maxDurationSeconds) ran out: a client may ask for more time rather than retry as is
                String code = "DeadlineExceeded".equals(c.getReason()) ? dev.ich.training.jobs.Job.TIME_LIMIT_EXCEEDED
                        : dev.ich.training.jobs.Job.TRAINER_FAILED;
                return LaunchStatus.failed(code, "Kubernetes Job " + name + " failed: " + c.getReason() + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
            }
        }
        if (job.getSpec() != null && Boolean.TRUE.equals(job.getSpec().getSuspend())) return LaunchStatus.pending(queued(job));
        List<Pod> pods = client.pods().inNamespace(namespace).withLabel(JobLabels.K8S_JOB_NAME, name).list().getItems();
        if (pods.stream().anyMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))) return LaunchStatus.running();
        for (Pod p : pods) {
            if (p.getStatus() == null || !"Pending".equals(p.getStatus().getPhase())) continue;
            for (PodCondition c : p.getStatus().getConditions() == null ? List.<PodCondition>of() : p.getStatus().getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return LaunchStatus.pending("pod " + p.getMetadata().getName() + " cannot be scheduled: " + c.getReason()
                            + (c.getMessage() == null ? "" : ": " + c.getMessage()));
                }
            }
            var waiting = p.getStatus().getContainerStatuses() == null ? null : p.getStatus().getContainerStatuses().stream()
                    .filter(cs -> cs.getState() != null && cs.getState().getWaiting() != null).findFirst().orElse(null);
            if (waiting != null) {
                var wt = waiting.getState().getWaiting();
                return LaunchStatus.pending("pod " + p.getMetadata().getName() + " is waiting: " + wt.getReason()
                        + (wt.getMessage() == null ? "" : ": " + wt.getMessage()));
            }
            return LaunchStatus.pending("pod " + p.getMetadata().getName() + " is pending");
        }
        return LaunchStatus.pending("waiting for the Job controller to start a pod of " + name);
    }

    private static String queued(Job job) {
        String queue = job.getMetadata().getLabels() == null ? null : job.getMetadata().getLabels().get(JobLabels.KUEUE_QUEUE);
        return queue != null ? "suspended: waiting for Kueue to admit Job " + job.getMetadata().getName() + " in queue " + queue
                : "suspended: Job " + job.getMetadata().getName() + " waits to be resumed";
    }

    /** The env the service passes on by default: where Kafka and the bucket are. */
    public static Map<String, String> defaultTrainerEnv(String kafkaBootstrap, String storageEndpoint, String bucket) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        env.put("ICH_STORAGE_ENDPOINT", storageEndpoint);
        env.put("ICH_STORAGE_BUCKET", bucket);
        return env;
    }

    public void shutdown() {
        poller.shutdownNow();
    }
}
