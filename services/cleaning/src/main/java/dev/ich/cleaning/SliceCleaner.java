package dev.ich.cleaning;

import dev.ich.cleaning.CleaningMetrics.Stage;
import dev.ich.core.clean.CleanedSlice;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.dicom.DicomSlice;
import dev.ich.core.event.SliceCleaned;
import dev.ich.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One raw slice through one pipeline: read, decode, clean, store the PNG. Deterministic, so running it
 * twice writes the same object and returns the same row (what makes at-least-once delivery harmless).
 * A slice that cannot be decoded is an answer (a row with an error), not a failure; storage trouble is.
 */
@ApplicationScoped
public class SliceCleaner {
    private final DicomReader reader = DicomReader.create();

    @Inject
    RawObjects raw;

    @Inject
    ObjectStore store;

    @Inject
    Pipelines pipelines;

    @Inject
    CleaningMetrics metrics;

    public SliceCleaned clean(RawSlice slice, CleaningPipeline pipeline) {
        String cleanedKey = ObjectKeys.clean(pipeline.version(), slice.sopInstanceUid()); // validates the UID first
        long t0 = System.nanoTime();
        byte[] bytes = raw.read(slice.objectKey()); // first: its retries decide whether storage counts as down
        long t1 = System.nanoTime();
        metrics.stage(Stage.READ, t1 - t0);
        pipelines.record(pipeline);
        DicomSlice decoded;
        try {
            decoded = reader.read(bytes, slice.objectKey());
        } catch (DicomReadException e) {
            return unreadable(slice, pipeline, e);
        } finally {
            metrics.stage(Stage.DECODE, System.nanoTime() - t1);
        }
        CleanedSlice cleaned = pipeline.clean(decoded);
        CleanedSlice.StageTimings t = cleaned.timings();
        metrics.stage(Stage.TRANSFORMS, t.fixAndStatistics() + t.maskAndCrop() + t.resizeAndChannels());
        if (cleaned.kept()) metrics.stage(Stage.ENCODE, t.png());
        if (cleaned.kept()) {
            long t2 = System.nanoTime();
            store.put(cleanedKey, cleaned.png(), "image/png", Map.of("pipeline", pipeline.version().id()));
            metrics.stage(Stage.STORE, System.nanoTime() - t2);
        }
        return done(new SliceCleaned(slice.sopInstanceUid(), slice.studyInstanceUid(), slice.seriesInstanceUid(),
                pipeline.version().id(), cleaned.kept(), cleaned.dropReason(), cleaned.kept() ? cleanedKey : null, null,
                cleaned.row()));
    }

    private SliceCleaned unreadable(RawSlice slice, CleaningPipeline pipeline, DicomReadException e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("fname", slice.objectKey());
        row.put("SOPInstanceUID", slice.sopInstanceUid());
        row.put("StudyInstanceUID", slice.studyInstanceUid());
        row.put("SeriesInstanceUID", slice.seriesInstanceUid());
        row.put("pipeline", pipeline.version().id());
        row.put("kept", false);
        row.put("drop_reason", SliceCleaned.UNREADABLE);
        row.put("error_problem", e.problem().name());
        row.put("error_reason", e.reason());
        return done(new SliceCleaned(slice.sopInstanceUid(), slice.studyInstanceUid(), slice.seriesInstanceUid(),
                pipeline.version().id(), false, SliceCleaned.UNREADABLE, null,
                new SliceCleaned.Error(e.problem().name(), e.reason()), row));
    }

    private SliceCleaned done(SliceCleaned result) {
        metrics.outcome(result);
        return result;
    }
}
