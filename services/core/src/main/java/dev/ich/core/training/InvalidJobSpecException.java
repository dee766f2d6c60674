package dev.ich.core.training;

import java.util.List;
import java.util.stream.Collectors;

/** A job spec that breaks rules: all of them, each with the field it is about. */
public class InvalidJobSpecException extends IllegalArgumentException {
    private final List<Violation> violations;

    public InvalidJobSpecException(List<Violation> violations) {
        super(violations.stream().map(Violation::message).collect(Collectors.joining("; ")));
        if (violations.isEmpty()) throw new IllegalArgumentException("an invalid job spec breaks at least one rule");
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
