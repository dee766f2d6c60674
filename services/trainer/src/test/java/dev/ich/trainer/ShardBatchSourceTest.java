package dev.ich.trainer;

import dev.ich.core.augment.AugmentationConfig;
import dev.ich.core.augment.Augmenter;
import dev.ich.core.augment.PlanarImage;
import dev.ich.core.dataset.DatasetSample;
import dev.ich.core.dataset.ShardWriter;
import dev.ich.core.label.Label;
import dev.ich.model.Batch;
import dev.ich.core.training.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shards in, batches out: every sample once per epoch, the right targets, deterministic, budgets respected. */
class ShardBatchSourceTest {

    private static List<String> shards(Blobs blobs, int samples, int perShard, int size) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int from = 0, i = 0; from < samples; from += perShard, i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ShardWriter w = new ShardWriter(out)) {
                for (int n = from; n < Math.min(samples, from + perShard); n++) {
                    Map<Label, Integer> labels = new EnumMap<>(Label.class);
                    for (Label l : Label.values()) labels.put(l, (l == Label.ANY || l == Label.SUBDURAL) && n % 2 == 1 ? 1 : 0);
                    float[] data = new float[3 * size * size];
                    java.util.Arrays.fill(data, (n % 10) / 10f);
                    w.add(new DatasetSample("1.2.3." + n, "p" + (n / 4), labels, new PlanarImage(3, size, size, data).toPng()));
                }
            }
            String key = "datasets/t/v1/shards/train-" + String.format("%05d", i) + ".tar";
            blobs.put(key, out.toByteArray(), "application/x-tar");
            keys.add(key);
        }
        return keys;
    }

    @Test
    void everySampleOncePerEpochWithItsTargets(@TempDir Path dir) throws Exception {
        Blobs blobs = Blobs.directory(dir.resolve("bucket"));
        List<String> keys = shards(blobs, 23, 10, 16);
        try (ShardBatchSource source = new ShardBatchSource(keys, 23, blobs, dir.resolve("cache"), Task.MULTILABEL, 8,
                new Augmenter(AugmentationConfig.defaults()), 5, null, 2)) {
            assertThat(source.batches()).isEqualTo(3);
            assertThat(source.shape()).containsExactly(3, 16, 16);
            Set<String> seen = new HashSet<>();
            List<Integer> sizes = new ArrayList<>();
            for (Iterator<Batch> it = source.epoch(0); it.hasNext(); ) {
                Batch b = it.next();
                sizes.add(b.size());
                assertThat(b.outputs()).isEqualTo(6);
                for (int i = 0; i < b.size(); i++) {
                    int n = Integer.parseInt(b.uids().get(i).substring("1.2.3.".length()));
                    assertThat(seen.add(b.uids().get(i))).isTrue();
                    float expected = n % 2 == 1 ? 1f : 0f;
                    assertThat(b.targets()[i * 6 + Label.ANY.ordinal()]).isEqualTo(expected);
                    assertThat(b.targets()[i * 6 + Label.SUBDURAL.ordinal()]).isEqualTo(expected);
                    assertThat(b.targets()[i * 6 + Label.EPIDURAL.ordinal()]).isZero();
                }
            }
            assertThat(seen).hasSize(23);
            assertThat(sizes).containsExactly(8, 8, 7);
            // same epoch, same batches; another epoch, another order
            assertThat(uids(source, 0)).isEqualTo(uids(source, 0)).isNotEqualTo(uids(source, 1));
        }
    }

    @Test
    void aTrainingEpochLeavesOutALoneLastSampleThatBatchNormCannotTrainOn(@TempDir Path dir) throws Exception {
        Blobs blobs = Blobs.directory(dir.resolve("bucket"));
        List<String> keys = shards(blobs, 17, 10, 8);
        try (ShardBatchSource train = new ShardBatchSource(keys, 17, blobs, dir.resolve("cache"), Task.ANY, 8,
                new Augmenter(AugmentationConfig.defaults()), 5, null, 1);
             ShardBatchSource valid = new ShardBatchSource(keys, 17, blobs, dir.resolve("cache-v"), Task.ANY, 8, null, 5, null, 1)) {
            assertThat(train.batches()).isEqualTo(2);
            List<Integer> sizes = new ArrayList<>();
            train.epoch(0).forEachRemaining(b -> sizes.add(b.size()));
            assertThat(sizes).containsExactly(8, 8);
            assertThat(uids(train, 0)).as("another sample left out each epoch").isNotEqualTo(uids(train, 1));
            assertThat(valid.batches()).as("validation scores every sample").isEqualTo(3);
            assertThat(uids(valid, 0)).hasSize(17);
        }
    }

    @Test
    void validationIsNeitherShuffledNorAugmentedAndBudgetsHold(@TempDir Path dir) throws Exception {
        Blobs blobs = Blobs.directory(dir.resolve("bucket"));
        List<String> keys = shards(blobs, 20, 10, 16);
        try (ShardBatchSource source = new ShardBatchSource(keys, 20, blobs, dir.resolve("cache"), Task.ANY, 4, null, 5, 2, 1)) {
            assertThat(source.batches()).isEqualTo(2);
            List<String> uids = uids(source, 0);
            assertThat(uids).containsExactly("1.2.3.0", "1.2.3.1", "1.2.3.2", "1.2.3.3", "1.2.3.4", "1.2.3.5", "1.2.3.6", "1.2.3.7");
            Batch first = source.epoch(3).next();
            assertThat(first.images()[0]).isEqualTo(0f); // sample 0's constant 0.0: untouched
            assertThat(first.images()[3 * 16 * 16]).isCloseTo(0.1f, org.assertj.core.data.Offset.offset(0.01f));
        }
    }

    @Test
    void aBrokenShardFailsTheBatchWithItsName(@TempDir Path dir) throws Exception {
        Blobs blobs = Blobs.directory(dir.resolve("bucket"));
        blobs.put("datasets/t/v1/shards/train-00000.tar", "not a tar".getBytes(), "application/x-tar");
        try (ShardBatchSource source = new ShardBatchSource(List.of("datasets/t/v1/shards/train-00000.tar"), 4, blobs,
                dir.resolve("cache"), Task.ANY, 4, null, 5, null, 1)) {
            assertThatThrownBy(() -> source.epoch(0)).hasMessageContaining("train-00000.tar");
        }
    }

    private static List<String> uids(ShardBatchSource source, int epoch) {
        List<String> out = new ArrayList<>();
        source.epoch(epoch).forEachRemaining(b -> out.addAll(b.uids()));
        return out;
    }
}
