package dev.ich.training;

import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.clean.PipelineConfig;
import dev.ich.core.clean.PipelineVersion;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dataset.DatasetSample;
import dev.ich.core.dataset.SampleMetadata;
import dev.ich.core.dataset.ShardWriter;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.label.Label;
import dev.ich.core.storage.ObjectStore;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A published dataset version small enough for a real trainer in a test: {@code train} and {@code valid} shards of
 * tiny three-channel PNGs (a bright blob marks a bleed), a dataset.json in the layout labeling publishes, and the
 * pipeline.json of the pipeline it claims, so the trainer's model.json records a full preprocessing block. What the
 * network sees does not matter here; that the service runs the real trainer on a real dataset does.
 */
public final class TinyDataset {
    public static final int SIZE = 32;

    private TinyDataset() {
    }

    /** {@code name@v1} with 16 train and 8 valid slices of {@link #SIZE} px, on the default pipeline at that size. */
    public static DatasetPublished publish(ObjectStore store, String name) throws IOException {
        return publish(store, name, PipelineConfig.defaults().withSize(SIZE));
    }

    public static DatasetPublished publish(ObjectStore store, String name, PipelineConfig pipelineConfig) throws IOException {
        PipelineVersion pipeline = new CleaningPipeline(pipelineConfig).version();
        store.put(ObjectKeys.pipeline(pipeline), PipelineVersion.canonicalJson(pipelineConfig).getBytes(StandardCharsets.UTF_8),
                "application/json", Map.of());
        Random random = new Random(name.hashCode());
        Map<String, List<String>> shards = new LinkedHashMap<>();
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        int uid = 1;
        for (Map.Entry<String, Integer> split : Map.of("train", 16, "valid", 8).entrySet()) {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            long positives = 0;
            try (ShardWriter w = new ShardWriter(tar)) {
                for (int i = 0; i < split.getValue(); i++) {
                    boolean bleed = i % 2 == 0;
                    positives += bleed ? 1 : 0;
                    Map<Label, Integer> labels = new EnumMap<>(Label.class);
                    for (Label l : Label.values()) labels.put(l, bleed && (l == Label.ANY || l == Label.SUBDURAL) ? 1 : 0);
                    // two scanner groups, so the metrics by subgroup have something to break down
                    w.add(new DatasetSample("1.2.826.0.1." + uid++, "patient-" + split.getKey() + "-" + i / 2, labels, png(bleed, random),
                            SampleMetadata.of(i % 4 < 2 ? 12 : 16, i % 4 < 2 ? 0 : 1, null, null)));
                }
            }
            String key = ObjectKeys.datasetShard(name, "v1", split.getKey(), 0);
            store.put(key, tar.toByteArray(), "application/x-tar", Map.of());
            shards.put(split.getKey(), List.of(key));
            Map<String, Long> c = new LinkedHashMap<>();
            c.put("slices", (long) split.getValue());
            c.put(Label.ANY.csvName(), positives);
            counts.put(split.getKey(), c);
        }
        DatasetPublished d = new DatasetPublished(name + "@v1", name, "v1", "any", ObjectKeys.datasetJson(name, "v1"),
                ObjectKeys.datasetManifest(name, "v1"), shards, counts, pipeline.id(), 1, Map.of("source", "TinyDataset"), Instant.now());
        store.put(d.datasetKey(), Events.JSON.writeValueAsBytes(d), "application/json", Map.of());
        return d;
    }

    private static byte[] png(boolean bleed, Random random) throws IOException {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(40 + random.nextInt(20), 40, 40));
        g.fillOval(2, 2, SIZE - 4, SIZE - 4);
        if (bleed) {
            g.setColor(Color.WHITE);
            g.fillOval(6 + random.nextInt(10), 6 + random.nextInt(10), 8, 8);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
