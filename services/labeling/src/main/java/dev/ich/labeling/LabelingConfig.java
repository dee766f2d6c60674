package dev.ich.labeling;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;

/** Settings of the labeling service ({@code ich.labeling.*}, ICH_LABELING_* in the environment). */
@ConfigMapping(prefix = "ich.labeling")
public interface LabelingConfig {
    /**
     * The DuckDB file of the metadata table and the labels. A derived store: delete it and the service
     * rebuilds the table from the compacted slices-cleaned topic and the labels from storage.
     */
    @WithDefault("data/labeling.duckdb")
    Path database();

    /** Where manifests and shards are assembled before upload. */
    @WithDefault("${java.io.tmpdir}/ich-labeling")
    Path workDirectory();

    /** The notebooks' drop rule, marked on the exploration's histogram (cleaning decides; this only draws it). */
    @WithDefault("0.02")
    double dropThreshold();

    /** Samples per dataset shard: about a thousand keeps shards at tens of megabytes, read sequentially. */
    @WithDefault("1000")
    int shardSize();

    /** Largest page {@code GET /slices} returns. */
    @WithDefault("1000")
    int maxPageSize();

    /**
     * Prediction records ({@code predictions} topic) kept for the drift section, at most; the oldest are removed first.
     */
    @WithDefault("2000000")
    long maxPredictions();

    /** Trees of the metadata-only random forest (the notebooks' 200). */
    @WithDefault("200")
    int baselineTrees();
}
