package dev.ich.labeling.experiments;

import java.util.List;

/**
 * What a metadata-only experiment adds to its operation (docs/operations.md).
 *
 * @param columns   the numeric header columns offered to the forest (the report says which it kept)
 * @param trainUsed train slices the forest was fit on: all of them unless the request capped them (maxTrainSlices)
 * @param seconds   how long the fit took, once it has ended
 * @param report    the result, once it has succeeded
 */
public record ExperimentDetails(String dataset, List<String> columns, int trainSlices, int trainUsed, int validSlices,
                                Double seconds, BaselineReport report) {
    public static final String KIND = "metadata-baseline";
    /** One forest is fit: progress is 0 of 1, then 1 of 1. */
    public static final String UNIT = "fits";
    /** The scanner's schema of {@code Operation<ExperimentDetails>}: what the 202's annotation refers to. */
    public static final String OPERATION_SCHEMA = "OperationExperimentDetails";

    ExperimentDetails ended(double took, BaselineReport result) {
        return new ExperimentDetails(dataset, columns, trainSlices, trainUsed, validSlices, took, result);
    }
}
