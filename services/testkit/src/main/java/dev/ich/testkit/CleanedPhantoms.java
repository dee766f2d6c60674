package dev.ich.testkit;

import dev.ich.core.clean.CleanedSlice;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.clean.PipelineConfig;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.event.SliceCleaned;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays ingest's and cleaning's part for services downstream of them: phantom studies stored under
 * {@code raw/}, cleaned with the real core pipeline, PNGs stored under {@code clean/}, and the
 * {@code slices-cleaned} events the cleaning service would publish. Same code as the cleaning service's
 * transforms, so a labeling or training test sees exactly the rows production produces.
 */
public final class CleanedPhantoms {
    private final PhantomSet set;
    private final CleaningPipeline pipeline;
    private final List<SliceCleaned> events;

    private CleanedPhantoms(PhantomSet set, CleaningPipeline pipeline, List<SliceCleaned> events) {
        this.set = set;
        this.pipeline = pipeline;
        this.events = events;
    }

    /**
     * Generates {@code studies} phantom studies of {@code slicesPerStudy} slices of {@code size} pixels,
     * cleans them to {@code outputSize} PNGs and stores raw and cleaned objects in {@code store}.
     */
    public static CleanedPhantoms create(ObjectStore store, PhantomOptions options, int outputSize) throws IOException {
        PhantomSet set = new PhantomGenerator(options).generate(Files.createTempDirectory("ich-cleaned-phantoms"));
        CleaningPipeline pipeline = new CleaningPipeline(PipelineConfig.defaults().withSize(outputSize));
        store.ensureBucket();
        store.put(ObjectKeys.pipeline(pipeline.version()),
                dev.ich.core.clean.PipelineVersion.canonicalJson(pipeline.config()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json", Map.of());
        DicomReader reader = DicomReader.create();
        List<SliceCleaned> events = new ArrayList<>();
        for (SliceTruth t : set.slices()) {
            String rawKey = ObjectKeys.raw(t.studyInstanceUid(), t.seriesInstanceUid(), t.sopInstanceUid());
            byte[] bytes = Files.readAllBytes(t.file());
            store.put(rawKey, bytes, "application/dicom", Map.of());
            events.add(clean(store, pipeline, reader, t, rawKey, bytes));
        }
        return new CleanedPhantoms(set, pipeline, List.copyOf(events));
    }

    private static SliceCleaned clean(ObjectStore store, CleaningPipeline pipeline, DicomReader reader, SliceTruth t,
                                      String rawKey, byte[] bytes) {
        String version = pipeline.version().id();
        try {
            CleanedSlice cleaned = pipeline.clean(reader.read(bytes, rawKey));
            String key = null;
            if (cleaned.kept()) {
                key = ObjectKeys.clean(pipeline.version(), t.sopInstanceUid());
                store.put(key, cleaned.png(), "image/png", Map.of("pipeline", version));
            }
            return new SliceCleaned(t.sopInstanceUid(), t.studyInstanceUid(), t.seriesInstanceUid(), version, cleaned.kept(),
                    cleaned.dropReason(), key, null, cleaned.row());
        } catch (DicomReadException e) {
            // The same row shape as the cleaning service's unreadable rows.
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("fname", rawKey);
            row.put("SOPInstanceUID", t.sopInstanceUid());
            row.put("StudyInstanceUID", t.studyInstanceUid());
            row.put("SeriesInstanceUID", t.seriesInstanceUid());
            row.put("pipeline", version);
            row.put("kept", false);
            row.put("drop_reason", SliceCleaned.UNREADABLE);
            row.put("error_problem", e.problem().name());
            row.put("error_reason", e.reason());
            return new SliceCleaned(t.sopInstanceUid(), t.studyInstanceUid(), t.seriesInstanceUid(), version, false,
                    SliceCleaned.UNREADABLE, null, new SliceCleaned.Error(e.problem().name(), e.reason()), row);
        }
    }

    public PhantomSet set() {
        return set;
    }

    public CleaningPipeline pipeline() {
        return pipeline;
    }

    /** One event per slice, in the phantom set's order. */
    public List<SliceCleaned> events() {
        return events;
    }

    public Path labelsCsv() {
        return set.labelsCsv();
    }
}
