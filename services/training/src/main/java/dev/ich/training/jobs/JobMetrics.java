package dev.ich.training.jobs;

import dev.ich.runtime.operation.OperationState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;

/**
 * Prometheus view of the jobs: {@code ich_training_jobs{state}} (a gauge per state), {@code ich_training_job_duration_seconds}
 * (start to end, by kind and final state) and {@code ich_training_job_queue_seconds} (submission to start: how long
 * Kueue, the scheduler or the process start kept a job waiting).
 */
@ApplicationScoped
public class JobMetrics {
    @Inject
    MeterRegistry registry;

    void track(Jobs jobs) {
        for (OperationState s : OperationState.values()) {
            Gauge.builder("ich.training.jobs", jobs, j -> j.count(s)).tag("state", s.word()).description("training jobs by state")
                    .register(registry);
        }
    }

    void submitted(Job job) {
        registry.counter("ich.training.jobs.submitted", "kind", job.kind()).increment();
    }

    void transition(Job job, OperationState from, OperationState to) {
        if (from == OperationState.pending && job.startedAt() != null) {
            Timer.builder("ich.training.job.queue").tag("kind", job.kind()).description("submission to the trainer's start")
                    .register(registry).record(between(job.submittedAt(), job.startedAt()));
        }
        if (to.terminal()) {
            Instant start = job.startedAt() != null ? job.startedAt() : job.submittedAt();
            Timer.builder("ich.training.job.duration").tag("kind", job.kind()).tag("state", to.word())
                    .description("a job's start to its end").register(registry).record(between(start, job.finishedAt()));
        }
    }

    private static Duration between(Instant a, Instant b) {
        return a == null || b == null || b.isBefore(a) ? Duration.ZERO : Duration.between(a, b);
    }
}
