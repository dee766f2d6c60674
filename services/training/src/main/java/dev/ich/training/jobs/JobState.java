package dev.ich.training.jobs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a job is (docs/training-api.md, "States"). Terminal states are final: nothing that arrives later
 * (a late event, a redelivered one, a launcher's view) moves a job out of them.
 */
public enum JobState {
    /** Accepted, not training yet: queued (Kueue), waiting for a node, starting, or unschedulable (see reason). */
    PENDING("Pending"),
    /** The trainer has started (its first event, or a running pod/process). */
    RUNNING("Running"),
    SUCCEEDED("Succeeded"),
    FAILED("Failed"),
    CANCELLED("Cancelled");

    private final String label;

    JobState(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    @JsonCreator
    public static JobState parse(String s) {
        return Arrays.stream(values()).filter(v -> v.label.equalsIgnoreCase(s) || v.name().equalsIgnoreCase(s)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("state must be one of " + Arrays.stream(values()).map(JobState::label)
                        .toList() + ", not '" + s + "'"));
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
