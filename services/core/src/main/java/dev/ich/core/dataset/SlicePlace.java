package dev.ich.core.dataset;

import java.util.Objects;

/**
 * Where a slice sits: its study and series, and its position along the series' slice axis (mm, from
 * {@link SlicePosition}). What 2.5D context (neighbours in a series) and a study-level head (all slices of a study,
 * in order) need; older shards have none.
 */
public record SlicePlace(String study, String series, double position) {
    public SlicePlace {
        Objects.requireNonNull(study, "study");
        Objects.requireNonNull(series, "series");
        if (!Double.isFinite(position)) throw new IllegalArgumentException("position must be finite, not " + position);
    }
}
