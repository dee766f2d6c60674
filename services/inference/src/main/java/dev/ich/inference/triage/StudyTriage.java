package dev.ich.inference.triage;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.dicom.results.HeatmapCapture;
import dev.ich.core.dicom.results.ResultEquipment;
import dev.ich.core.dicom.results.ResultObject;
import dev.ich.core.dicom.results.SourceStudy;
import dev.ich.core.dicom.results.TriageSr;
import dev.ich.core.event.Events;
import dev.ich.core.event.SlicePrediction;
import dev.ich.core.event.StudyCompleted;
import dev.ich.core.event.StudyPredicted;
import dev.ich.core.event.StudyPredicted.KeySlice;
import dev.ich.core.event.StudyPredicted.ModelRef;
import dev.ich.core.event.StudyPredicted.OperatingPoint;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;
import dev.ich.inference.Explanation;
import dev.ich.inference.Explanations;
import dev.ich.inference.InferenceConfig;
import dev.ich.inference.SlicePredictions;
import dev.ich.inference.SlicePredictions.SliceResult;
import dev.ich.inference.export.ResultsExport;
import dev.ich.inference.serving.ServedModel;
import dev.ich.inference.serving.Serving;
import dev.ich.runtime.problem.ApiProblem;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A completed study to a result in PACS (docs/dicom.md, "Study triage"): every stored instance of the study predicted
 * by the serving model; the study's probability per label is the highest over the slices the drop rule keeps; the call
 * per label is made at the model's operating point; the key slices (the top slice of {@code any} and of every positive
 * label) get a Grad-CAM heatmap. Written, in this order: the heatmap captures and the SR under
 * {@code results/<study>/<series>/}, the worklist pictures, then {@code results/<study>/prediction.json} (last: its
 * presence means the study's results are complete), the export outbox, and the {@code study-predicted} event.
 *
 * <p>A study that cannot be triaged (no kept slice, no model, no operating point, nothing readable) still gets its
 * prediction.json and event, with the outcome and a reason and no result object. A failure half-way (storage down)
 * removes what this run wrote and is rethrown, so the consumer dead-letters the completion: nothing partial stays.
 */
@ApplicationScoped
public class StudyTriage {
    private static final Logger LOG = Logger.getLogger(StudyTriage.class);
    private static final String ANY = "any";

    @Inject
    Serving serving;
    @Inject
    SlicePredictions predictions;
    @Inject
    Explanations explanations;
    @Inject
    ObjectStore store;
    @Inject
    ResultsExport export;
    @Inject
    StudyPredictedPublisher publisher;
    @Inject
    InferenceConfig config;
    @Inject
    MeterRegistry registry;
    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String softwareVersion;

    private final DicomReader reader = DicomReader.create();
    Clock clock = Clock.systemUTC();

    /** Triage of one study; the event it published. */
    public StudyPredicted triage(StudyCompleted completed) {
        String study = completed.studyInstanceUid();
        List<StoredObject> instances = new ArrayList<>();
        for (StoredObject o : store.list(ObjectKeys.rawStudy(study))) if (o.key().endsWith(".dcm")) instances.add(o);
        instances.sort(Comparator.comparing(StoredObject::key));
        if (instances.isEmpty()) {
            return finish(notTriaged(study, StudyPredicted.UNREADABLE, "no instance of the study is stored under "
                    + ObjectKeys.rawStudy(study), null, null, 0, 0), List.of());
        }
        Serving.Lease lease;
        try {
            lease = serving.lease();
        } catch (ApiProblem e) {
            return finish(notTriaged(study, StudyPredicted.NO_MODEL, "no model is served: " + e.getMessage(), null, null,
                    0, 0), List.of());
        }
        try (lease) {
            return triage(study, instances, lease.model());
        }
    }

    private StudyPredicted triage(String study, List<StoredObject> instances, ServedModel model) {
        ModelRef ref = new ModelRef(model.name(), model.version());
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (StoredObject o : instances) {
            if (o.size() > config.maxInstanceBytes().asLongValue()) continue; // counted as not predicted below
            bytes.put(o.key(), store.get(o.key()));
        }
        List<String> keys = List.copyOf(bytes.keySet());
        List<CompletableFuture<SliceResult>> futures = predictions.predictAll(model, List.copyOf(bytes.values()), keys, SlicePrediction.TRIAGE);
        Map<String, SliceResult> results = new LinkedHashMap<>();
        String firstProblem = null;
        for (int i = 0; i < futures.size(); i++) {
            try {
                results.put(keys.get(i), SlicePredictions.join(futures.get(i)));
            } catch (ApiProblem e) {
                if (e.status() >= 500) throw e;
                if (firstProblem == null) firstProblem = keys.get(i) + ": " + e.getMessage();
            }
        }
        if (results.isEmpty()) {
            return finish(notTriaged(study, StudyPredicted.UNREADABLE, "none of the " + instances.size() + " instances could be"
                    + " predicted; first: " + (firstProblem == null ? "larger than ich.inference.max-instance-bytes" : firstProblem),
                    ref, null, 0, 0), List.of());
        }
        Map<String, SliceResult> kept = new LinkedHashMap<>();
        results.forEach((key, r) -> {
            if (r.brainWindow() == null || r.brainWindow().passed()) kept.put(key, r);
        });
        if (kept.isEmpty()) {
            return finish(notTriaged(study, StudyPredicted.NO_KEPT_SLICE, "none of the " + results.size() + " predicted slices passes"
                    + " the brain-window rule (img_pct_window >= " + model.preprocessing().config().dropThreshold() + "): no slice shows"
                    + " the brain the model learnt from", ref, null, results.size(), 0), List.of());
        }
        Map<String, Double> probabilities = new LinkedHashMap<>();
        Map<String, String> topKey = new LinkedHashMap<>();
        for (String label : model.labels()) {
            Map.Entry<String, SliceResult> top = kept.entrySet().stream()
                    .max(Comparator.comparingDouble(e -> e.getValue().probabilities().get(label))).orElseThrow();
            probabilities.put(label, top.getValue().probabilities().get(label));
            topKey.put(label, top.getKey());
        }
        Optional<OperatingPoint> point = model.operatingPoint();
        if (point.isEmpty()) {
            StudyPredicted none = new StudyPredicted(study, StudyPredicted.NO_OPERATING_POINT, model + " records no operating point"
                    + " (model.json has no operatingPoint: a version trained before ich chose thresholds); no call is made at an"
                    + " arbitrary threshold: promote a version trained since", ref, null, probabilities, Map.of(), List.of(),
                    results.size(), kept.size(), List.of(), clock.instant());
            return finish(none, List.of());
        }
        Map<String, Boolean> positive = new LinkedHashMap<>();
        for (String label : model.labels()) positive.put(label, probabilities.get(label) >= point.get().thresholds().get(label));
        // The slices that drive the result: the top slice of `any`, and the top slice of every positive label.
        List<KeySlice> keySlices = new ArrayList<>();
        LinkedHashSet<String> keyLabels = new LinkedHashSet<>();
        keyLabels.add(model.labels().contains(ANY) ? ANY : model.labels().get(0));
        positive.forEach((label, p) -> {
            if (p) keyLabels.add(label);
        });
        Map<String, byte[]> keyBytes = new LinkedHashMap<>();
        for (String label : keyLabels) {
            String key = topKey.get(label);
            SliceResult r = kept.get(key);
            String sopClass;
            try {
                sopClass = reader.read(bytes.get(key), key).header().sopClassUid();
            } catch (DicomReadException e) {
                throw new IllegalStateException(key + " was predicted but cannot be read again: " + e.reason(), e);
            }
            keySlices.add(new KeySlice(r.sopInstanceUid(), r.seriesInstanceUid(), sopClass, label, probabilities.get(label)));
            keyBytes.put(r.sopInstanceUid() + "/" + label, bytes.get(key));
        }
        StudyPredicted predicted = new StudyPredicted(study, StudyPredicted.PREDICTED, null, ref, point.get(), probabilities, positive,
                keySlices, results.size(), kept.size(), List.of(), clock.instant());
        List<String> written = new ArrayList<>();
        try {
            SourceStudy source = SourceStudy.of(bytes.get(topKey.get(keyLabels.iterator().next())));
            ResultEquipment equipment = new ResultEquipment(model.name(), model.version(), softwareVersion, config.triage().institution().orElse(null));
            List<ResultObject> objects = new ArrayList<>();
            int instanceNumber = 1;
            for (KeySlice slice : keySlices) {
                Explanation explanation = explanations.explain(model, keyBytes.get(slice.sopInstanceUid() + "/" + slice.label()),
                        slice.label());
                objects.add(HeatmapCapture.write(source, slice, explanation.overlay(), equipment, instanceNumber++, predicted.predictedAt()));
                String heatmap = TriagePictures.heatmapKey(study, slice);
                store.put(heatmap, explanation.png(), "image/png", Map.of());
                written.add(heatmap);
                String picture = TriagePictures.sliceKey(study, slice);
                store.put(picture, TriagePictures.greyscale(model.preprocessing().prepare(keyBytes.get(slice.sopInstanceUid() + "/"
                        + slice.label()), slice.sopInstanceUid()).image(), model.spec().imageSize()), "image/png", Map.of());
                written.add(picture);
            }
            objects.add(0, TriageSr.write(source, predicted, equipment));
            List<String> resultKeys = new ArrayList<>();
            for (ResultObject o : objects) {
                String key = ObjectKeys.resultObject(study, o.seriesInstanceUid(), o.sopInstanceUid());
                store.put(key, o.part10(), "application/dicom", Map.of());
                written.add(key);
                resultKeys.add(key);
            }
            StudyPredicted done = new StudyPredicted(study, predicted.outcome(), null, ref, point.get(), probabilities, positive, keySlices,
                    results.size(), kept.size(), List.copyOf(resultKeys), predicted.predictedAt());
            return finish(done, written);
        } catch (DicomReadException e) {
            removeQuietly(written);
            throw new IllegalStateException("the study's source instance cannot be read for its SR: " + e.reason(), e);
        } catch (RuntimeException e) {
            removeQuietly(written);
            throw e;
        }
    }

    private StudyPredicted notTriaged(String study, String outcome, String reason, ModelRef model, OperatingPoint point, int predicted,
                                      int kept) {
        return new StudyPredicted(study, outcome, reason, model, point, Map.of(), Map.of(), List.of(), predicted, kept, List.of(),
                clock.instant());
    }

    /** prediction.json (the commit point), the outbox, the event; a failure removes {@code written} and rethrows. */
    private StudyPredicted finish(StudyPredicted event, List<String> written) {
        try {
            store.put(ObjectKeys.prediction(event.studyInstanceUid()), Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(event),
                    "application/json", Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event, e);
        } catch (RuntimeException e) {
            removeQuietly(written);
            throw e;
        }
        if (!event.results().isEmpty()) export.enqueue(event.studyInstanceUid(), event.results());
        publisher.publish(event);
        registry.counter("ich.inference.studies.triaged", "outcome", event.outcome()).increment();
        if (StudyPredicted.PREDICTED.equals(event.outcome())) {
            LOG.infof("study %s triaged by %s/%s: p(any)=%s, positive %s, %d result objects", event.studyInstanceUid(), event.model().name(),
                    event.model().version(), event.probabilities().get(ANY), event.positive(), event.results().size());
        } else {
            LOG.warnf("study %s not triaged (%s): %s", event.studyInstanceUid(), event.outcome(), event.reason());
        }
        return event;
    }

    private void removeQuietly(List<String> keys) {
        for (String key : keys) {
            try {
                store.delete(key);
            } catch (RuntimeException e) {
                LOG.warnf("cannot remove %s after a failed triage: %s", key, e.getMessage());
            }
        }
    }
}
