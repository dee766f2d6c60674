package dev.ich.training.jobs;

import dev.ich.core.event.Events;
import dev.ich.core.event.TrainingEvent;
import dev.ich.core.training.JobSpec;
import dev.ich.runtime.operation.Operation;
import dev.ich.runtime.operation.OperationState;
import dev.ich.runtime.operation.Progress;
import dev.ich.training.launch.LaunchStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The state machine on its own: events applied twice or late change nothing, terminal states are final, sweeps
 * summarise; and the operation a job is shown as (docs/operations.md).
 */
class JobTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final JobSpec SPEC = JobSpec.builder().setId("j").setDataset("d@v1").optEpochs(2).build();

    private static Job job(String... runs) {
        return new Job("j", runs.length > 1 ? Job.SWEEP : "train", SPEC, null,
                java.util.Arrays.stream(runs).map(r -> new Run(r, 1L)).toList(), "local", T0);
    }

    private static TrainingEvent event(String run, String kind, int seconds, Integer epoch, Integer step, Map<String, Double> metrics, String message) {
        return new TrainingEvent(run, kind, "unfrozen", epoch, 2, step, 10, 0.5, metrics, 3.0, message, T0.plusSeconds(seconds), null);
    }

    /** A training run's completion, as the trainer sends it: the model written in its field (and in words). */
    private static TrainingEvent completed(String run, int seconds, Map<String, Double> metrics, String modelKey) {
        return new TrainingEvent(run, TrainingEvent.COMPLETED, null, null, null, null, null, null, metrics, null, "model " + modelKey,
                T0.plusSeconds(seconds), modelKey);
    }

    @Test
    void eventsDeliveredTwiceOrLateChangeNothing() throws Exception {
        Job job = job("j");
        assertThat(job.apply("j", event("j", TrainingEvent.STARTED, 1, null, null, null, "go"))).isTrue();
        assertThat(job.state()).isEqualTo(OperationState.running);
        assertThat(job.apply("j", event("j", TrainingEvent.PROGRESS, 5, 0, 7, null, null))).isTrue();
        assertThat(job.apply("j", event("j", TrainingEvent.PROGRESS, 3, 0, 4, null, null))).as("older progress").isFalse();
        assertThat(job.step()).isEqualTo(7);
        TrainingEvent epoch = event("j", TrainingEvent.EPOCH, 6, 0, null, Map.of("accuracy", 0.6), null);
        job.apply("j", epoch);
        String once = Events.JSON.writeValueAsString(job.toJson());
        job.apply("j", epoch);
        assertThat(Events.JSON.writeValueAsString(job.toJson())).as("an epoch event redelivered").isEqualTo(once);

        job.apply("j", completed("j", 9, Map.of("accuracy", 0.7), "models/d/v1/"));
        assertThat(job.state()).isEqualTo(OperationState.succeeded);
        assertThat(job.modelKey()).isEqualTo("models/d/v1/");
        assertThat(job.apply("j", completed("j", 9, Map.of("accuracy", 0.7), "models/d/v1/")))
                .as("completed redelivered").isFalse();
        assertThat(job.apply("j", event("j", TrainingEvent.FAILED, 10, null, null, null, "late"))).isFalse();
        assertThat(job.apply("j", event("j", TrainingEvent.PROGRESS, 11, 1, 1, null, null))).isFalse();
        assertThat(job.observe(null, LaunchStatus.failed("exit 1"))).isFalse();
        assertThat(job.state()).isEqualTo(OperationState.succeeded);
        assertThat(job.reason()).isNull();
    }

    @Test
    void theProcessMayEndBeforeItsLastEventsArriveAndTheyStillCount() {
        Job job = job("j");
        job.observe("j", LaunchStatus.pending("starting"));
        assertThat(job.state()).isEqualTo(OperationState.pending);
        assertThat(job.reason()).isEqualTo("starting");
        job.observe("j", LaunchStatus.succeeded());
        assertThat(job.state()).isEqualTo(OperationState.succeeded);
        job.apply("j", event("j", TrainingEvent.EPOCH, 6, 1, null, Map.of("accuracy", 0.8), null));
        job.apply("j", completed("j", 7, Map.of("accuracy", 0.8), "models/d/v2/"));
        assertThat(job.state()).isEqualTo(OperationState.succeeded);
        assertThat(job.modelKey()).isEqualTo("models/d/v2/");
        assertThat(job.metrics()).containsEntry("accuracy", 0.8);
    }

    @Test
    void aCancelledJobStaysCancelled() {
        Job job = job("j");
        job.apply("j", event("j", TrainingEvent.STARTED, 1, null, null, null, null));
        assertThat(job.cancel("by test")).isTrue();
        assertThat(job.cancel("again")).isFalse();
        job.observe("j", LaunchStatus.failed("killed: exit 143"));
        job.apply("j", event("j", TrainingEvent.FAILED, 2, null, null, null, "interrupted"));
        assertThat(job.state()).isEqualTo(OperationState.cancelled);
        assertThat(job.reason()).isEqualTo("by test");
    }

    @Test
    void aSweepSummarisesItsSeedsAndFailsWhenOneFails() {
        Job sweep = job("a", "b", "c");
        double[] acc = {0.5, 0.7, 0.9};
        String[] runs = {"a", "b", "c"};
        for (int i = 0; i < 3; i++) {
            sweep.apply(runs[i], event(runs[i], TrainingEvent.STARTED, 1, null, null, null, null));
            assertThat(sweep.state()).isEqualTo(OperationState.running);
            sweep.apply(runs[i], completed(runs[i], 5, Map.of("accuracy", acc[i]), "m/v" + i));
        }
        assertThat(sweep.state()).isEqualTo(OperationState.succeeded);
        Job.Stat s = sweep.summary().get("accuracy");
        assertThat(s.n()).isEqualTo(3);
        assertThat(s.mean()).isCloseTo(0.7, within(1e-12));
        assertThat(s.std()).isCloseTo(0.2, within(1e-12));
        assertThat(s.values()).containsExactly(0.5, 0.7, 0.9);

        Job broken = job("a", "b");
        broken.apply("a", completed("a", 5, Map.of("accuracy", 0.5), "m/v1"));
        assertThat(broken.state()).as("one run still going").isEqualTo(OperationState.running);
        broken.apply("b", event("b", TrainingEvent.FAILED, 6, null, null, null, "out of memory"));
        assertThat(broken.state()).isEqualTo(OperationState.failed);
        assertThat(broken.reason()).isEqualTo("1 of 2 runs did not succeed: b: out of memory");
        assertThat(broken.runs()).extracting(Run::state).containsExactly(OperationState.succeeded, OperationState.failed);
    }

    @Test
    void theStateSurvivesItsJson() throws Exception {
        Job job = job("a", "b");
        job.apply("a", event("a", TrainingEvent.EPOCH, 2, 0, null, Map.of("accuracy", 0.5), null));
        job.handle("a", "4242");
        byte[] json = Events.JSON.writeValueAsBytes(job.toJson());
        Job back = Events.JSON.copy().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(json, Job.class);
        assertThat(Events.JSON.writeValueAsString(back.toJson())).isEqualTo(new String(json));
        assertThat(back.runs()).extracting(Run::handle).containsExactly("4242", null);
        assertThat(back.state()).isEqualTo(OperationState.running);
        assertThat(List.of(back.spec().epochs())).containsExactly(2);
    }

    @Test
    void theJobIsShownAsOneOperation() {
        Job job = job("j");
        job.observe("j", LaunchStatus.pending("suspended: waiting for Kueue"));
        Operation<JobDetails> pending = job.operation();
        assertThat(pending.kind()).isEqualTo("train");
        assertThat(pending.state()).isEqualTo(OperationState.pending);
        assertThat(pending.message()).as("why it waits").isEqualTo("suspended: waiting for Kueue");
        assertThat(pending.startedAt()).as("when it was accepted").isEqualTo(T0);
        assertThat(pending.progress()).isEqualTo(Progress.of(0, 2L, "epochs"));
        assertThat(pending.details().trainingStartedAt()).isNull();
        assertThat(pending.failure()).isNull();

        job.apply("j", event("j", TrainingEvent.STARTED, 1, null, null, null, "training"));
        job.apply("j", event("j", TrainingEvent.EPOCH, 4, 0, null, Map.of("accuracy", 0.6), null));
        Operation<JobDetails> running = job.operation();
        assertThat(running.state()).isEqualTo(OperationState.running);
        assertThat(running.message()).as("the run's message").isEqualTo("training");
        assertThat(running.progress().done()).as("one epoch finished").isEqualTo(1);
        assertThat(running.details().trainingStartedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(running.details().metrics()).containsEntry("accuracy", 0.6);
        assertThat(running.details().runs()).extracting(JobDetails.RunDetails::state).containsExactly(OperationState.running);

        job.apply("j", event("j", TrainingEvent.FAILED, 5, null, null, null, "out of memory"));
        Operation<JobDetails> failed = job.operation();
        assertThat(failed.state()).isEqualTo(OperationState.failed);
        assertThat(failed.finishedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(failed.failure().code()).isEqualTo(Job.TRAINER_FAILED);
        assertThat(failed.failure().status()).isEqualTo(500);
        assertThat(failed.failure().detail()).isEqualTo("out of memory");

        Job unlaunched = job("j");
        unlaunched.failToLaunch("the trainer jar is missing");
        assertThat(unlaunched.operation().failure().code()).as("the launcher could not start it").isEqualTo(Job.LAUNCH_FAILED);
        assertThat(unlaunched.operation().failure().detail()).isEqualTo("the trainer jar is missing");

        Job lost = job("j");
        lost.observe(null, LaunchStatus.failed(Job.RUN_LOST, "the Kubernetes Job was deleted"));
        assertThat(lost.operation().failure().code()).isEqualTo(Job.RUN_LOST);

        Job cancelled = job("j");
        cancelled.cancel("cancelled by DELETE /jobs/j");
        assertThat(cancelled.operation().state()).isEqualTo(OperationState.cancelled);
        assertThat(cancelled.operation().message()).isEqualTo("cancelled by DELETE /jobs/j");
        assertThat(cancelled.operation().failure()).isNull();
    }

    @Test
    void aSweepCountsTheEpochsOfAllItsRunsAndNamesHowTheyFailed() {
        Job sweep = job("a", "b");
        assertThat(sweep.operation().kind()).isEqualTo("sweep");
        assertThat(sweep.operation().progress().total()).as("2 epochs for each of 2 runs").isEqualTo(4L);
        sweep.apply("a", completed("a", 5, Map.of("accuracy", 0.5), "m/v1"));
        sweep.apply("b", event("b", TrainingEvent.EPOCH, 4, 0, null, Map.of("accuracy", 0.4), null));
        assertThat(sweep.operation().progress().done()).isEqualTo(3);
        assertThat(sweep.operation().details().epoch()).as("no single run to show at the top").isNull();
        sweep.observe("b", LaunchStatus.failed(Job.TIME_LIMIT_EXCEEDED, "Kubernetes Job failed: DeadlineExceeded"));
        Operation<JobDetails> failed = sweep.operation();
        assertThat(failed.failure().code()).isEqualTo(Job.TIME_LIMIT_EXCEEDED);
        assertThat(failed.failure().detail()).isEqualTo("1 of 2 runs did not succeed: b: Kubernetes Job failed: DeadlineExceeded");
        assertThat(failed.details().runs()).extracting(JobDetails.RunDetails::failure).containsExactly(null, Job.TIME_LIMIT_EXCEEDED);
        assertThat(failed.details().summary().get("accuracy").n()).isEqualTo(1);
    }

    @Test
    void aStateFileOfTheFormerWordsStillLoads() throws Exception {
        String old = "{\"id\": \"j\", \"kind\": \"train\", \"state\": \"Failed\", \"reason\": \"exit 1\","
                + " \"runs\": [{\"id\": \"j\", \"state\": \"Failed\", \"reason\": \"exit 1\"}]}";
        Job back = Events.JSON.copy().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(old, Job.class);
        assertThat(back.state()).isEqualTo(OperationState.failed);
        assertThat(back.runs()).extracting(Run::state).containsExactly(OperationState.failed);
        assertThat(back.operation().failure().code()).as("no code stored then").isEqualTo(Job.TRAINING_FAILED);
        assertThat(back.toJson().get("state").asText()).as("written in the new words").isEqualTo("failed");
    }
}
