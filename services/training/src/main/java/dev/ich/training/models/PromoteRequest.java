package dev.ich.training.models;

/**
 * The optional body of {@code POST /models/{name}/versions/{version}/promote}: without one (or with {@code {}}) a
 * promotion the gate refuses stays refused; with {@code override} it goes through, its reason recorded.
 */
public record PromoteRequest(OverrideRequest override) {
    /** Serve the version although the promotion gate found it worse than the serving model. */
    public record OverrideRequest(String reason) {
    }
}
