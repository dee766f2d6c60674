package dev.ich.labeling.datasets;

import dev.ich.core.event.DatasetPublished;

/**
 * What a dataset build adds to its operation (docs/operations.md): the name and version it freezes, and once it has
 * succeeded the published dataset itself (what {@code datasets-published} announced). Nothing of a failed or
 * interrupted build is left in storage.
 */
public record DatasetBuildDetails(String name, String version, DatasetPublished dataset) {
    public static final String KIND = "dataset-build";
    public static final String UNIT = "samples";
    /** The scanner's schema of {@code Operation<DatasetBuildDetails>}: what the 202's annotation refers to. */
    public static final String OPERATION_SCHEMA = "OperationDatasetBuildDetails";
}
