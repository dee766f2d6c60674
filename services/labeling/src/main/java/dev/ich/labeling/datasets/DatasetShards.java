package dev.ich.labeling.datasets;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dataset.DatasetSample;
import dev.ich.core.dataset.ShardWriter;
import dev.ich.core.storage.ObjectStore;
import dev.ich.labeling.LabelingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/** The tar shards of a dataset version: about {@code ich.labeling.shard-size} samples each, per split, into the bucket. */
@ApplicationScoped
public class DatasetShards {
    @Inject
    ObjectStore store;

    @Inject
    LabelingConfig config;

    /** The shard keys of each split, and the shard each slice went into. */
    record Written(Map<String, List<String>> shards, Map<String, String> shardOf) {
    }

    /**
     * Writes every split's shards through {@code work} (a file at a time) to the bucket. Each stored key is reported to
     * {@code stored} at once (a failed build deletes them), and the samples written so far to {@code progress}.
     */
    Written write(String name, String version, Map<String, List<SelectedSlice>> bySplit, Path work, Consumer<String> stored,
            LongConsumer progress) throws IOException {
        long done = 0;
        Map<String, List<String>> shards = new LinkedHashMap<>();
        Map<String, String> shardOf = new LinkedHashMap<>();
        for (Map.Entry<String, List<SelectedSlice>> split : bySplit.entrySet()) {
            List<String> keys = new ArrayList<>();
            List<SelectedSlice> rows = split.getValue();
            for (int from = 0, index = 0; from < rows.size(); from += config.shardSize(), index++) {
                String key = ObjectKeys.datasetShard(name, version, split.getKey(), index);
                Path file = work.resolve(split.getKey() + "-" + index + ".tar");
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file)); ShardWriter w = new ShardWriter(out)) {
                    for (SelectedSlice r : rows.subList(from, Math.min(rows.size(), from + config.shardSize()))) {
                        w.add(new DatasetSample(r.uid(), r.patient(), r.labels(), store.get(r.imageKey()), r.metadata()));
                        shardOf.put(r.uid(), key);
                        done++;
                    }
                }
                store.putFile(key, file, "application/x-tar");
                stored.accept(key);
                Files.delete(file);
                keys.add(key);
                progress.accept(done);
            }
            shards.put(split.getKey(), keys);
        }
        return new Written(shards, shardOf);
    }
}
