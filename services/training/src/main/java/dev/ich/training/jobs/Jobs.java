package dev.ich.training.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.Events;
import dev.ich.core.event.TrainingEvent;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.training.JobKind;
import dev.ich.core.training.JobSpec;
import dev.ich.core.training.PretrainedSource;
import dev.ich.runtime.operation.OperationState;
import dev.ich.runtime.problem.ApiProblem;
import dev.ich.training.TrainingConfig;
import dev.ich.training.launch.Launch;
import dev.ich.training.launch.LaunchException;
import dev.ich.training.launch.LaunchStatus;
import dev.ich.training.launch.Launcher;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.BiConsumer;

/**
 * The jobs of this service: submission (validate, store the specs, launch), the state machine fed by
 * {@code training-events} and by the launcher, cancellation, persistence after every change that matters, the
 * rebuild on start, and the listeners of {@code GET /jobs/{id}/events}.
 */
@ApplicationScoped
public class Jobs implements Launcher.Listener {
    private static final Logger LOG = Logger.getLogger(Jobs.class);

    @Inject
    JobStore states;

    @Inject
    ObjectStore store;

    @Inject
    Launcher launcher;

    @Inject
    TrainingConfig config;

    @Inject
    JobMetrics metrics;

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Trainer job id (a run) to the job it belongs to: events are keyed by run. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final Map<String, Instant> savedAt = new ConcurrentHashMap<>();
    private final Set<BiConsumer<String, Job>> listeners = new CopyOnWriteArraySet<>();
    private final SecureRandom random = new SecureRandom();

    /** Rebuilds every job from the bucket, then lets the launcher follow again those that had not finished. */
    void onStart(@Observes StartupEvent start) {
        for (Job job : states.loadAll()) {
            jobs.put(job.id(), job);
            job.runs().forEach(r -> owners.put(r.id(), job.id()));
        }
        LOG.infof("%d jobs rebuilt from storage", jobs.size());
        metrics.track(this);
        for (Job job : jobs.values()) {
            if (job.state().terminal()) continue;
            try {
                launcher.recover(launch(job), this);
            } catch (RuntimeException e) {
                LOG.errorf("cannot follow job %s again: %s", job.id(), e.getMessage());
            }
        }
    }

    public Job submit(JsonNode body) throws IOException {
        JobRequest request = JobRequest.parse(body, JobRequest.generatedId(body.path("kind").asText(null), Instant.now(), random));
        JobSpec spec = request.spec();
        if (jobs.containsKey(spec.id()) || owners.containsKey(spec.id()) || states.exists(spec.id())) {
            throw ApiProblem.conflict("job " + spec.id() + " exists already: choose another id (or leave it out to get one)");
        }
        check(request);
        List<JobSpec> specs = request.runs();
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JobSpec s = specs.get(i);
            if (jobs.containsKey(s.id()) || owners.containsKey(s.id())) throw ApiProblem.conflict("run id " + s.id() + " is taken");
            byte[] json = Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s);
            store.put(ObjectKeys.job(s.id()) + "spec.json", json, "application/json", Map.of());
            if (request.sweep()) store.put(Launch.indexedSpecKey(spec.id(), Integer.toString(i)), json, "application/json", Map.of());
            runs.add(new Run(s.id(), s.seed()));
        }
        Job job = new Job(spec.id(), request.kind(), spec, request.sweep() ? request.seeds() : null, runs, launcher.name(), Instant.now());
        job.limits = Launch.Options.DEFAULTS.equals(request.options()) ? null : request.options();
        if (jobs.putIfAbsent(job.id(), job) != null) throw ApiProblem.conflict("job " + spec.id() + " exists already");
        runs.forEach(r -> owners.put(r.id(), job.id()));
        states.save(job);
        metrics.submitted(job);
        try {
            launcher.launch(launch(job), this);
        } catch (LaunchException e) {
            job.failToLaunch(e.getMessage());
            changed(job, OperationState.pending, "failed", true);
        }
        return job;
    }

    /** What the service checks beyond the spec's own rules: the limits, and that what it names exists. */
    private void check(JobRequest request) {
        JobSpec spec = request.spec();
        if (spec.epochs() > config.maxEpochs()) {
            throw ApiProblem.invalidField("epochs", "epochs must be 1.." + config.maxEpochs() + ", not " + spec.epochs());
        }
        if (spec.workers() < 1 || spec.workers() > 32) throw ApiProblem.invalidField("workers", "workers must be 1..32, not " + spec.workers());
        if (spec.imageSize() != null && (spec.imageSize() < 16 || spec.imageSize() > 1024)) {
            throw ApiProblem.invalidField("imageSize", "imageSize must be 16..1024 or left out (the dataset's), not " + spec.imageSize());
        }
        if (request.sweep() && request.seeds().size() > config.maxSweepSeeds()) {
            throw ApiProblem.invalidField("seeds", "a sweep runs at most " + config.maxSweepSeeds() + " seeds, not " + request.seeds().size());
        }
        if (request.sweep() && spec.kind() != JobKind.TRAIN) throw ApiProblem.invalidField("kind", "a sweep repeats training");
        String datasetKey;
        try {
            datasetKey = ObjectKeys.datasetJson(spec.datasetName(), spec.datasetVersion());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalidField("dataset", e.getMessage());
        }
        if (store.stat(datasetKey).isEmpty()) {
            throw ApiProblem.invalidField("dataset", "dataset " + spec.dataset() + " is not published: no " + datasetKey
                    + " (POST /datasets on the labeling service publishes one)");
        }
        if (spec.pretrained() != null) checkPretrained(spec.pretrained());
        if (spec.sourceModel() != null && store.stat(spec.sourceRegistryModel().modelJsonKey()).isEmpty()) {
            throw ApiProblem.invalidField("sourceModel", "no model " + spec.sourceRegistryModel().name() + "/" + spec.sourceRegistryModel().version()
                    + ": " + spec.sourceRegistryModel().modelJsonKey() + " is missing (GET /models lists the versions there are)");
        }
        for (JobSpec run : request.runs()) {
            try {
                ObjectKeys.requireName("modelName", run.modelName());
                ObjectKeys.requireName("run id", run.id());
            } catch (IllegalArgumentException e) {
                throw ApiProblem.invalidField("modelName", "a sweep's runs get model names <modelName>-seed<seed>: " + e.getMessage());
            }
        }
    }

    /**
     * The weights a job starts from exist, looked up only where they may come from (the form is checked first, so a
     * path outside the registry and {@code pretrained/} is refused without being looked at: docs/training-api.md).
     */
    private void checkPretrained(String reference) {
        PretrainedSource source;
        try {
            source = PretrainedSource.parse(reference);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalidField("pretrained", e.getMessage());
        }
        if (source instanceof PretrainedSource.Registry r && store.stat(r.modelJsonKey()).isEmpty()) {
            throw ApiProblem.invalidField("pretrained", "no model " + r.name() + "/" + r.version() + ": " + r.modelJsonKey() + " is missing");
        }
        if (source instanceof PretrainedSource.Bucket b && store.stat(b.key()).isEmpty()) {
            throw ApiProblem.invalidField("pretrained", "no backbone " + reference + ": upload the TorchScript file to the bucket as "
                    + b.key() + " first (docs/training.md, \"Pretrained backbone\")");
        }
    }

    public Launch launch(Job job) {
        List<Launch.RunLaunch> runs = job.runs().stream().map(r -> new Launch.RunLaunch(r.id(), ObjectKeys.job(r.id()) + "spec.json",
                r.handle())).toList();
        return new Launch(job.id(), job.kind(), job.sweep(), runs, job.limits == null ? Launch.Options.DEFAULTS : job.limits);
    }

    public Job cancel(String id) {
        Job job = get(id);
        OperationState before = job.state();
        if (!job.cancel("cancelled by DELETE /jobs/" + id)) return job;
        try {
            launcher.cancel(launch(job));
        } catch (RuntimeException e) {
            LOG.errorf("job %s is cancelled, but stopping it failed: %s", id, e.getMessage());
        }
        changed(job, before, "cancelled", true);
        return job;
    }

    /** A training event; unknown job ids (an `ich experiment` run, another service's job) are skipped. */
    public void onEvent(TrainingEvent e) {
        String owner = owners.get(e.jobId());
        Job job = owner == null ? null : jobs.get(owner);
        if (job == null) {
            LOG.debugf("training event for unknown job %s skipped", e.jobId());
            return;
        }
        OperationState before = job.state();
        if (job.apply(e.jobId(), e)) changed(job, before, e.kind(), !TrainingEvent.PROGRESS.equals(e.kind()));
    }

    @Override
    public void observed(String jobId, String runId, LaunchStatus status) {
        Job job = jobs.get(jobId);
        if (job == null) return;
        OperationState before = job.state();
        if (job.observe(runId, status)) changed(job, before, "state", true);
    }

    @Override
    public void handle(String jobId, String runId, String handle) {
        Job job = jobs.get(jobId);
        if (job != null) job.handle(runId, handle);
    }

    private void changed(Job job, OperationState before, String event, boolean persist) {
        OperationState now = job.state();
        if (now != before) {
            metrics.transition(job, before, now);
            LOG.infof("job %s: %s -> %s%s", job.id(), before, now, job.reason() == null ? "" : " (" + job.reason() + ")");
        }
        Instant last = savedAt.get(job.id());
        if (persist || now != before || last == null || last.plus(config.persistEvery()).isBefore(Instant.now())) {
            try {
                states.save(job);
                savedAt.put(job.id(), Instant.now());
            } catch (RuntimeException ex) {
                LOG.errorf("cannot store the state of job %s: %s", job.id(), ex.getMessage());
            }
        }
        for (BiConsumer<String, Job> l : listeners) l.accept(event, job);
    }

    public Job get(String id) {
        Job job = jobs.get(id);
        if (job == null) throw ApiProblem.notFound("no job " + id);
        return job;
    }

    public Optional<Job> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** The job a run belongs to (a run of a sweep, or the job itself). */
    public Optional<Job> owner(String runId) {
        return Optional.ofNullable(owners.get(runId)).map(jobs::get);
    }

    public List<Job> list(OperationState state) {
        return jobs.values().stream().filter(j -> state == null || j.state() == state)
                .sorted(Comparator.comparing(Job::submittedAt).reversed()).toList();
    }

    /** Called with (event name, job) after every change until removed. */
    public void listen(BiConsumer<String, Job> listener) {
        listeners.add(listener);
    }

    public void unlisten(BiConsumer<String, Job> listener) {
        listeners.remove(listener);
    }

    long count(OperationState state) {
        return jobs.values().stream().filter(j -> j.state() == state).count();
    }
}
