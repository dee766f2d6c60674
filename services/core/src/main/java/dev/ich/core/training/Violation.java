package dev.ich.core.training;

/**
 * One rule a job spec breaks.
 *
 * @param field   the path of the field at fault as the JSON names it ({@code epochs}, {@code augmentations.maxBlurSigma})
 * @param message what is wrong, in words, naming the field
 */
public record Violation(String field, String message) {
}
