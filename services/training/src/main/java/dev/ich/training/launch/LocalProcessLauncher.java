package dev.ich.training.launch;

import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs each run as a child process, {@code java -jar ich-trainer.jar run --spec-key jobs/<run>/spec.json}, with
 * the service's own storage and Kafka settings and its log in {@code <work>/logs/<run>.log}. Runs of a sweep run
 * in parallel, libtorch's threads shared out between them. On shutdown the trainers are stopped; after a restart
 * a run whose process is gone and whose result is not stored is started again and resumes after its last
 * checkpoint (the trainer's own resume).
 */
public final class LocalProcessLauncher implements Launcher {
    private static final Logger LOG = Logger.getLogger(LocalProcessLauncher.class);
    static final String FAILED_LINE = "trainer: job failed: ";

    private final Path trainerJar;
    private final List<String> javaOptions;
    private final Path work;
    private final StorageSettings storage;
    private final String kafkaBootstrap;
    private final ObjectStore store;
    private final Map<String, ProcessHandle> processes = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public LocalProcessLauncher(Path trainerJar, String javaOptions, Path work, StorageSettings storage, String kafkaBootstrap,
                                ObjectStore store) {
        this.trainerJar = trainerJar.toAbsolutePath();
        this.javaOptions = javaOptions.isBlank() ? List.of() : Arrays.asList(javaOptions.trim().split("\\s+"));
        this.work = work.toAbsolutePath();
        this.storage = storage;
        this.kafkaBootstrap = kafkaBootstrap;
        this.store = store;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String notReadyReason() {
        return Files.isRegularFile(trainerJar) ? null : "the trainer jar " + trainerJar + " does not exist: build services/trainer "
                + "(mvn -pl services/trainer -am package) or set ich.training.local.trainer-jar (ICH_TRAINING_LOCAL_TRAINER_JAR)";
    }

    /** The log of a run's trainer process. */
    public Path log(String runId) {
        return work.resolve("logs").resolve(runId + ".log");
    }

    @Override
    public void launch(Launch launch, Listener listener) {
        String missing = notReadyReason();
        if (missing != null) throw new LaunchException(missing);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / launch.runs().size());
        for (Launch.RunLaunch run : launch.runs()) start(launch.jobId(), run, threads, listener);
    }

    private void start(String jobId, Launch.RunLaunch run, int threads, Listener listener) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-Dai.djl.pytorch.num_threads=" + threads);
        command.add("-Dich.run=" + run.runId()); // recover() recognises its process by this
        command.addAll(List.of("-jar", trainerJar.toString(), "run", "--spec-key", run.specKey()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("ICH_STORAGE_ENDPOINT", storage.endpoint());
        pb.environment().put("ICH_STORAGE_ACCESS_KEY", storage.accessKey());
        pb.environment().put("ICH_STORAGE_SECRET_KEY", storage.secretKey());
        pb.environment().put("ICH_STORAGE_BUCKET", storage.bucket());
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        pb.environment().put("ICH_WORK_DIR", work.resolve("runs").toString());
        try {
            Path log = log(run.runId());
            Files.createDirectories(log.getParent());
            // its own folder as working directory: a JVM crash file (hs_err_pid*.log) lands there, not where the service runs
            Path dir = work.resolve("runs").resolve(run.runId());
            Files.createDirectories(dir);
            pb.directory(dir.toFile());
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Process p = pb.start();
            processes.put(run.runId(), p.toHandle());
            listener.handle(jobId, run.runId(), Long.toString(p.pid()));
            listener.observed(jobId, run.runId(), LaunchStatus.pending("trainer process " + p.pid() + " is starting (log " + log + ")"));
            p.onExit().thenAccept(done -> exited(jobId, run.runId(), done.exitValue(), listener));
        } catch (IOException e) {
            throw new LaunchException("cannot start the trainer: " + e.getMessage(), e);
        }
    }

    private void exited(String jobId, String runId, int status, Listener listener) {
        processes.remove(runId);
        if (stopping) return; // stopped with the service: recover() picks it up again
        listener.observed(jobId, runId, status == 0 ? LaunchStatus.succeeded() : LaunchStatus.failed(failure(runId, status)));
    }

    /** The trainer's own words ("trainer: job failed: ..."), else the exit status and the log's last lines. */
    String failure(String runId, int status) {
        try {
            List<String> lines = Files.exists(log(runId)) ? Files.readAllLines(log(runId), StandardCharsets.UTF_8) : List.of();
            for (int i = lines.size() - 1; i >= 0; i--) {
                int at = lines.get(i).indexOf(FAILED_LINE);
                if (at >= 0) return lines.get(i).substring(at + FAILED_LINE.length());
            }
            return "the trainer exited with status " + status + "; its log ends: "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "the trainer exited with status " + status + " (log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void cancel(Launch launch) {
        for (Launch.RunLaunch run : launch.runs()) {
            ProcessHandle p = processes.remove(run.runId());
            if (p == null && run.handle() != null) p = ours(run).orElse(null);
            if (p != null) destroyTree(p);
        }
    }

    private static void destroyTree(ProcessHandle p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            p.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public void recover(Launch launch, Listener listener) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / launch.runs().size());
        for (Launch.RunLaunch run : launch.runs()) {
            Optional<ProcessHandle> alive = ours(run);
            if (alive.isPresent()) {
                // not our child any more: no exit status, so the stored result decides
                processes.put(run.runId(), alive.get());
                alive.get().onExit().thenAccept(done -> {
                    processes.remove(run.runId());
                    if (!stopping) listener.observed(launch.jobId(), run.runId(), stored(run.runId()) ? LaunchStatus.succeeded()
                            : LaunchStatus.failed(dev.ich.training.jobs.Job.RUN_LOST, "the trainer process " + done.pid() + " ended while the service was restarting, without a result"));
                });
            } else if (stored(run.runId())) {
                listener.observed(launch.jobId(), run.runId(), LaunchStatus.succeeded());
            } else {
                LOG.infof("run %s of job %s: its trainer is gone, starting it again (it resumes after its last checkpoint)",
                        run.runId(), launch.jobId());
                start(launch.jobId(), run, threads, listener);
            }
        }
    }

    /** The trainer writes report.html (train) or lr-finder.json (lr-find) once everything else is stored. */
    private boolean stored(String runId) {
        return store.stat("jobs/" + runId + "/report.html").isPresent() || store.stat("jobs/" + runId + "/lr-finder.json").isPresent();
    }

    private static Optional<ProcessHandle> ours(Launch.RunLaunch run) {
        if (run.handle() == null) return Optional.empty();
        try {
            return ProcessHandle.of(Long.parseLong(run.handle())).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains("-Dich.run=" + run.runId())).orElse(true));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The service stops: its trainers stop too, and resume when it starts again. */
    public void shutdown() {
        stopping = true;
        processes.values().forEach(LocalProcessLauncher::destroyTree);
    }
}
