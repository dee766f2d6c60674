package dev.ich.training.launch;

/** A launcher could not start a job: the reason is the job's failure reason. */
public class LaunchException extends RuntimeException {
    public LaunchException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public LaunchException(String reason) {
        super(reason);
    }
}
