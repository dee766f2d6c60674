package dev.ich.core.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Published on {@code datasets-published}, keyed by dataset id, once every object of an immutable dataset
 * version is stored (docs/architecture.md, "The services and their topics"): a trainer that sees this can read the manifest and every shard.
 *
 * @param id            {@code <name>@<version>}, e.g. {@code any-balanced@v3}
 * @param version       {@code v<N>}, numbered per name from 1
 * @param task          {@code any} (one binary target) or {@code multilabel} (all six labels)
 * @param datasetKey    {@code datasets/<name>/<version>/dataset.json}
 * @param manifestKey   {@code datasets/<name>/<version>/manifest.parquet}
 * @param shards        split name ({@code train}, {@code valid}) to its shard keys, in reading order
 * @param counts        split name to label name to positives, plus {@code slices} for the split's size
 * @param pipeline      the image pipeline version every PNG in the shards came from
 * @param labelsVersion the label upload the targets came from
 * @param spec          the request that froze this version, as given plus defaults
 */
public record DatasetPublished(String id, String name, String version, String task, String datasetKey, String manifestKey,
                               Map<String, List<String>> shards, Map<String, Map<String, Long>> counts, String pipeline,
                               int labelsVersion, Map<String, Object> spec, Instant createdAt) {
    /** CloudEvents type of this event. */
    public static final String TYPE = "dev.ich.dataset.published";
}
