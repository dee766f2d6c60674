package dev.ich.runtime.operation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Where a piece of background work is (docs/operations.md). The same six words for every kind of operation in every
 * service; terminal states are final: nothing that arrives later moves an operation out of them.
 */
public enum OperationState {
    /** Accepted, not working yet: queued, waiting for a node, starting (its {@code message} says which). */
    pending,
    running,
    succeeded,
    failed,
    /** Stopped on request (DELETE). */
    cancelled,
    /** The replica or process doing it stopped before it ended (a restart, a lost node); submitting it again is safe. */
    interrupted;

    /** The words services used before one vocabulary, as older stored checkpoints still hold them. */
    private static final Map<String, OperationState> FORMER = Map.of("completed", succeeded, "done", succeeded,
            "published", succeeded, "building", running, "listing", running);

    public boolean terminal() {
        return this != pending && this != running;
    }

    @JsonValue
    public String word() {
        return name();
    }

    /** Any case; the former words of stored checkpoints too. */
    @JsonCreator
    public static OperationState parse(String s) {
        if (s == null) throw new IllegalArgumentException("state must be one of " + words() + ", not null");
        String lower = s.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(v -> v.name().equals(lower)).findFirst()
                .or(() -> java.util.Optional.ofNullable(FORMER.get(lower)))
                .orElseThrow(() -> new IllegalArgumentException("state must be one of " + words() + ", not '" + s + "'"));
    }

    public static java.util.List<String> words() {
        return Arrays.stream(values()).map(OperationState::name).toList();
    }
}
