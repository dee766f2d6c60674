package dev.ich.cli.demo;

/**
 * Why a step of the demo could not go on, in words a person can act on, and where to read more (a service's log, a
 * job's log URL). The demo prints both and stops; nothing already stored is undone.
 */
final class StepFailure extends RuntimeException {
    private final String log;

    StepFailure(String message, String log) {
        super(message);
        this.log = log;
    }

    StepFailure(String message, String log, Throwable cause) {
        super(message, cause);
        this.log = log;
    }

    /** A log file or URL to read next; may be null when the message says it all. */
    String log() {
        return log;
    }
}
