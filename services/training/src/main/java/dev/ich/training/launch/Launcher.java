package dev.ich.training.launch;

/**
 * Runs the trainer for a job's runs, somewhere: one implementation per backend (a Kubernetes Job, a child
 * process), chosen by {@code ich.training.launcher}. What it sees goes to the {@link Listener}; training progress
 * itself arrives on {@code training-events}, not through here.
 */
public interface Launcher {
    /** {@code local} or {@code kubernetes}: recorded with each job. */
    String name();

    /** Starts every run; throws {@link LaunchException} with the reason when it cannot. */
    void launch(Launch launch, Listener listener);

    /** Stops every run of the job (deletes the Kubernetes Job, destroys the process tree). */
    void cancel(Launch launch);

    /** After the service restarted: follow again a job that had not finished (relaunching what is gone). */
    void recover(Launch launch, Listener listener);

    /** Ready to launch (the trainer jar is there, the template parses), else why not. */
    default String notReadyReason() {
        return null;
    }

    interface Listener {
        /** {@code runId} null: the status is the whole job's (all its unfinished runs). */
        void observed(String jobId, String runId, LaunchStatus status);

        /** The launcher's handle of a run (a process id), persisted with the job for {@link #recover}. */
        void handle(String jobId, String runId, String handle);
    }
}
