package dev.ich.labeling.datasets;

import dev.ich.core.event.DatasetPublished;

import java.time.Instant;

/**
 * A dataset version being frozen, as {@code GET /datasets/{id}} shows it until it is published.
 *
 * @param state   {@code building}, {@code published} or {@code failed}
 * @param written samples written to shards so far, of {@code total}
 * @param error   why it failed (nothing of a failed version is left in storage)
 */
public record DatasetBuild(String id, String state, long written, long total, Instant startedAt, String error,
                           DatasetPublished dataset) {
    public static final String BUILDING = "building";
    public static final String PUBLISHED = "published";
    public static final String FAILED = "failed";
}
