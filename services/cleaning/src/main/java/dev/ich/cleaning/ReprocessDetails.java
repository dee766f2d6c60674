package dev.ich.cleaning;

/**
 * What a reprocess run adds to its operation: the pipeline version it cleans with, and how its slices ended
 * ({@code errors}: slices that could not be decoded or processed at all).
 */
public record ReprocessDetails(String pipelineVersion, long kept, long dropped, long errors) {
    public static final String KIND = "reprocess";
    public static final String UNIT = "slices";
    /**
     * The schema the OpenAPI scanner names for {@code Operation<ReprocessDetails>} (from GET's return type): what a
     * {@code Response}-built 202 refers to, since an annotation cannot name a parameterised type.
     */
    public static final String OPERATION_SCHEMA = "OperationReprocessDetails";

    ReprocessDetails counted(boolean wasKept, boolean wasError) {
        return new ReprocessDetails(pipelineVersion, kept + (!wasError && wasKept ? 1 : 0), dropped + (!wasError && !wasKept ? 1 : 0),
                errors + (wasError ? 1 : 0));
    }
}
