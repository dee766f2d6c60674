package dev.ich.runtime.operation;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How far an operation has got: {@code done} of {@code total} {@code unit}s. {@code total} is null while it is not
 * known yet (a listing still going on); a client shows a fraction only when it is there.
 */
@Schema(name = "OperationProgress", description = "how far an operation has got")
public record Progress(
        @Schema(required = true, description = "units finished so far") long done,
        @Schema(description = "units in all, once known") Long total,
        @Schema(required = true, description = "what is counted: slices, objects, samples, epochs, runs") String unit) {

    public static Progress of(long done, Long total, String unit) {
        return new Progress(done, total, unit);
    }

    /** Nothing done yet, and nothing known of the total. */
    public static Progress none(String unit) {
        return new Progress(0, null, unit);
    }

    /** {@code done/total}, or null while the total is unknown or zero. */
    public Double fraction() {
        return total == null || total == 0 ? null : Math.min(1.0, (double) done / total);
    }
}
