package dev.ich.trainer;

import dev.ich.core.clean.CleanedSlice;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.clean.PipelineConfig;
import dev.ich.core.clean.PipelineVersion;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dataset.Balance;
import dev.ich.core.dataset.DatasetSample;
import dev.ich.core.dataset.SampleMetadata;
import dev.ich.core.dataset.PatientSplit;
import dev.ich.core.dataset.ShardWriter;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.event.DatasetPublished;
import dev.ich.core.event.Events;
import dev.ich.core.label.Label;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.training.Task;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The notebooks' data path on one machine, without the services: phantom studies, cleaned by the core pipeline
 * (drop rule included), balanced (for any), split by patient and written as a dataset version in the same
 * layout labeling publishes (shards, dataset.json), so the trainer reads it exactly as in production.
 */
final class PhantomDataset {
    private PhantomDataset() {
    }

    static DatasetPublished build(Blobs blobs, Path scratch, int studies, int size, int slicesPerStudy, double positiveRate, long seed, Task task,
                                  PrintStream log) throws IOException {
        PhantomOptions options = PhantomOptions.of(studies, seed).withSlicesPerStudy(slicesPerStudy).withPositiveRate(positiveRate);
        log.printf("phantoms: %d studies x %d slices (seed %d) ...%n", studies, slicesPerStudy, seed);
        PhantomSet set = new PhantomGenerator(options).generate(scratch.resolve("phantoms"));
        CleaningPipeline pipeline = new CleaningPipeline(PipelineConfig.defaults().withSize(size));
        PipelineVersion version = pipeline.version();
        blobs.put(ObjectKeys.pipeline(version), PipelineVersion.canonicalJson(pipeline.config()).getBytes(StandardCharsets.UTF_8),
                "application/json");
        DicomReader reader = DicomReader.create();
        List<DatasetSample> kept = new ArrayList<>();
        int dropped = 0;
        for (SliceTruth t : set.slices()) {
            CleanedSlice c;
            try {
                c = pipeline.clean(reader.read(t.file()));
            } catch (DicomReadException e) {
                dropped++;
                continue;
            }
            if (!c.kept()) {
                dropped++;
                continue;
            }
            Map<Label, Integer> labels = new EnumMap<>(Label.class);
            for (Label l : Label.values()) labels.put(l, t.has(l) ? 1 : 0);
            // the subgroups as labeling's dataset build records them, from the slice's header row
            kept.add(new DatasetSample(t.sopInstanceUid(), t.patientId(), labels, c.png(), SampleMetadata.of(c.row().get("BitsStored"),
                    c.row().get("PixelRepresentation"), c.row().get("PatientSex"), c.row().get("PatientAge"))));
        }
        List<DatasetSample> chosen = task == Task.ANY ? Balance.allPositivesAndAsManyNegatives(kept, DatasetSample::anyBleed, seed) : kept;
        // stratified by whether a patient bleeds, as labeling's datasets are: a plain split of 48 patients can give a
        // validation set that is mostly negative, and then accuracy says more about the split than the model
        Map<String, String> splitOf = PatientSplit.assignStratified(chosen.stream()
                .collect(Collectors.toMap(DatasetSample::patient, DatasetSample::anyBleed, Boolean::logicalOr)), 0.2, seed);
        Map<String, List<DatasetSample>> bySplit = new LinkedHashMap<>();
        bySplit.put(PatientSplit.TRAIN, new ArrayList<>());
        bySplit.put(PatientSplit.VALID, new ArrayList<>());
        for (DatasetSample s : chosen) bySplit.get(splitOf.get(s.patient())).add(s);
        Random shuffle = new Random(seed);
        bySplit.values().forEach(l -> Collections.shuffle(l, shuffle));

        String name = "phantom-" + task.name().toLowerCase() + "-" + seed;
        String v = "v1";
        Map<String, List<String>> shards = new LinkedHashMap<>();
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        for (Map.Entry<String, List<DatasetSample>> split : bySplit.entrySet()) {
            List<String> keys = new ArrayList<>();
            List<DatasetSample> samples = split.getValue();
            for (int from = 0, i = 0; from < samples.size(); from += 1000, i++) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ShardWriter w = new ShardWriter(bytes)) {
                    for (DatasetSample s : samples.subList(from, Math.min(samples.size(), from + 1000))) w.add(s);
                }
                String key = ObjectKeys.datasetShard(name, v, split.getKey(), i);
                blobs.put(key, bytes.toByteArray(), "application/x-tar");
                keys.add(key);
            }
            shards.put(split.getKey(), keys);
            Map<String, Long> c = new LinkedHashMap<>();
            c.put("slices", (long) samples.size());
            c.put("patients", samples.stream().map(DatasetSample::patient).distinct().count());
            for (Label l : Label.values()) c.put(l.csvName(), samples.stream().filter(s -> s.label(l) == 1).count());
            counts.put(split.getKey(), c);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("source", "phantoms");
        spec.put("studies", studies);
        spec.put("seed", seed);
        spec.put("positiveRate", positiveRate);
        spec.put("balance", task == Task.ANY ? "positives-and-as-many-negatives" : "none");
        spec.put("split", Map.of("by", "patient", "valid", 0.2, "seed", seed, "stratified", "any"));
        DatasetPublished d = new DatasetPublished(name + "@" + v, name, v, task.name().toLowerCase(), ObjectKeys.datasetJson(name, v),
                ObjectKeys.datasetManifest(name, v), shards, counts, version.id(), 0, spec, Instant.now());
        blobs.put(d.datasetKey(), Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(d), "application/json");
        log.printf("dataset %s: %d kept of %d slices (%d dropped or unreadable); train %d slices / %d patients, valid %d slices / %d patients%n",
                d.id(), kept.size(), set.slices().size(), dropped, counts.get("train").get("slices"), counts.get("train").get("patients"),
                counts.get("valid").get("slices"), counts.get("valid").get("patients"));
        return d;
    }
}
