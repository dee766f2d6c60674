package dev.ich.core.dicom.results;

import dev.ich.core.event.StudyPredicted;
import dev.ich.core.event.StudyPredicted.KeySlice;
import dev.ich.core.label.Label;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The triage of a study as a Comprehensive SR in the study: per label the finding, its probability, the threshold
 * and the call at the model's operating point, and the key slices, following TID 1500 (Measurement Report) so
 * viewers that read measurement reports show it and any SR viewer prints it. The tree: docs/dicom.md, "Results as
 * DICOM". Content Date/Time is the prediction's time, so the same prediction gives the same bytes.
 */
public final class TriageSr {
    public static final String SOP_CLASS = "1.2.840.10008.5.1.4.1.1.88.33"; // Comprehensive SR Storage
    public static final String MODALITY = "SR";
    public static final int SERIES_NUMBER = 9901;
    private static final String TID_MEASUREMENT_REPORT = "1500";
    private static final String TID_MEASUREMENT_GROUP = "1501";
    /** Labels in the order the report lists them: the study-level call first, then the subtypes in CSV order. */
    private static final List<Label> ORDER = List.of(Label.ANY, Label.EPIDURAL, Label.INTRAPARENCHYMAL,
            Label.INTRAVENTRICULAR, Label.SUBARACHNOID, Label.SUBDURAL);

    private TriageSr() {
    }

    /**
     * @throws IllegalArgumentException when the prediction is not a {@code predicted} one, lacks a label's probability,
     *                                  threshold or call, names a label ich does not know, or another model
     */
    public static ResultObject write(SourceStudy study, StudyPredicted prediction, ResultEquipment equipment) {
        Objects.requireNonNull(study, "study");
        Objects.requireNonNull(equipment, "equipment");
        List<Finding> findings = findings(study, prediction, equipment);
        Instant at = prediction.predictedAt();
        String model = equipment.modelName();
        String version = equipment.modelVersion();
        String series = ResultUids.srSeries(study.studyInstanceUid(), model, version);
        String sop = ResultUids.srInstance(study.studyInstanceUid(), model, version, findingsDigest(prediction));

        DataSet ds = content(study, prediction, equipment, findings).dataSet();
        ResultModules.sopCommon(ds, SOP_CLASS, sop, at);
        ResultModules.patientAndStudy(ds, study);
        ds.put("Modality", MODALITY).put("SeriesInstanceUID", series).put("SeriesNumber", SERIES_NUMBER)
                .put("SeriesDescription", "ich ICH triage (" + equipment.modelLabel() + ")")
                .put("SeriesDate", ResultModules.DA.format(at)).put("SeriesTime", ResultModules.TM.format(at))
                .sequence("ReferencedPerformedProcedureStepSequence", List.of());
        ResultModules.generalEquipment(ds, equipment);
        ResultModules.contributingEquipment(ds, equipment, "intracranial hemorrhage triage by " + equipment.modelLabel(), at);
        ds.put("InstanceNumber", 1).put("CompletionFlag", "COMPLETE").put("VerificationFlag", "UNVERIFIED")
                .put("ContentDate", ResultModules.DA.format(at)).put("ContentTime", ResultModules.TM.format(at))
                .sequence("PerformedProcedureCodeSequence", List.of())
                .sequence("CodingSchemeIdentificationSequence", new DataSet()
                        .put("CodingSchemeDesignator", TriageCodes.ICH).put("CodingSchemeName", TriageCodes.ICH_SCHEME_NAME)
                        .put("CodingSchemeResponsibleOrganization", ResultEquipment.MANUFACTURER));
        // Type 1C: present exactly when the SR references instances, which it does through the key slices.
        List<DataSet> evidence = evidence(study, prediction.keySlices());
        if (!evidence.isEmpty()) ds.sequence("CurrentRequestedProcedureEvidenceSequence", evidence);
        return new ResultObject(SOP_CLASS, study.studyInstanceUid(), series, sop, MODALITY, ds.part10());
    }

    /** One label's result, checked. */
    private record Finding(Label label, double probability, double threshold, boolean positive, KeySlice keySlice) {
    }

    private static List<Finding> findings(SourceStudy study, StudyPredicted p, ResultEquipment e) {
        if (p == null) throw new IllegalArgumentException("no prediction to report");
        if (!StudyPredicted.PREDICTED.equals(p.outcome())) {
            throw new IllegalArgumentException("study " + p.studyInstanceUid() + " was not triaged (outcome " + p.outcome()
                    + (p.reason() == null ? "" : ": " + p.reason()) + "): there is no result to write as DICOM");
        }
        if (!study.studyInstanceUid().equals(p.studyInstanceUid())) {
            throw new IllegalArgumentException("the prediction is for study " + p.studyInstanceUid() + " but the source"
                    + " instance is from study " + study.studyInstanceUid() + ": take the source from the predicted study");
        }
        if (p.model() != null && (!e.modelName().equals(p.model().name()) || !e.modelVersion().equals(p.model().version()))) {
            throw new IllegalArgumentException("the prediction was made by " + p.model().name() + " v" + p.model().version()
                    + " but the result equipment names " + e.modelLabel() + ": pass the equipment of the model that predicted");
        }
        if (p.predictedAt() == null) throw new IllegalArgumentException("the prediction has no predictedAt: the SR's content time");
        Map<String, Double> probabilities = p.probabilities() == null ? Map.of() : p.probabilities();
        Map<String, Boolean> positive = p.positive() == null ? Map.of() : p.positive();
        Map<String, Double> thresholds = p.operatingPoint() == null || p.operatingPoint().thresholds() == null
                ? Map.of() : p.operatingPoint().thresholds();
        for (String name : probabilities.keySet()) {
            if (Label.fromCsvName(name).isEmpty()) {
                throw new IllegalArgumentException("the prediction has a probability for \"" + name + "\", which is not a label"
                        + " ich knows (" + String.join(", ", ORDER.stream().map(Label::csvName).toList()) + ")");
            }
        }
        if (probabilities.isEmpty()) throw new IllegalArgumentException("the prediction has no probabilities: nothing to report");
        Map<String, KeySlice> keys = new LinkedHashMap<>();
        for (KeySlice k : p.keySlices() == null ? List.<KeySlice>of() : p.keySlices()) {
            requireKeySlice(k);
            keys.putIfAbsent(k.label(), k);
        }
        List<Finding> out = new ArrayList<>();
        for (Label label : ORDER) {
            String name = label.csvName();
            Double probability = probabilities.get(name);
            if (probability == null) continue;
            Double threshold = thresholds.get(name);
            Boolean call = positive.get(name);
            if (threshold == null || call == null) {
                throw new IllegalArgumentException("label " + name + " has a probability but no " + (threshold == null
                        ? "threshold in the operating point" : "call in positive") + ": the SR reports all three or none");
            }
            out.add(new Finding(label, probability, threshold, call, keys.get(name)));
        }
        return out;
    }

    private static void requireKeySlice(KeySlice k) {
        if (k == null || k.sopInstanceUid() == null || k.seriesInstanceUid() == null || k.sopClassUid() == null
                || k.sopInstanceUid().isBlank() || k.seriesInstanceUid().isBlank() || k.sopClassUid().isBlank()) {
            throw new IllegalArgumentException("a key slice needs its SOP Instance, Series Instance and SOP Class UIDs"
                    + " (the SR references it by them): " + k);
        }
    }

    private static SrItem content(SourceStudy study, StudyPredicted p, ResultEquipment e, List<Finding> findings) {
        SrItem root = SrItem.root(TriageCodes.IMAGING_MEASUREMENT_REPORT, TID_MEASUREMENT_REPORT);
        root.code(SrItem.HAS_CONCEPT_MOD, TriageCodes.LANGUAGE, TriageCodes.ENGLISH_US);
        root.code(SrItem.HAS_OBS_CONTEXT, TriageCodes.OBSERVER_TYPE, TriageCodes.DEVICE);
        root.uidref(SrItem.HAS_OBS_CONTEXT, TriageCodes.DEVICE_OBSERVER_UID, ResultUids.device(e.modelName(), e.modelVersion()));
        root.text(SrItem.HAS_OBS_CONTEXT, TriageCodes.DEVICE_OBSERVER_NAME, "ich ICH triage " + e.modelLabel());
        root.text(SrItem.HAS_OBS_CONTEXT, TriageCodes.DEVICE_OBSERVER_MANUFACTURER, ResultEquipment.MANUFACTURER);
        root.text(SrItem.HAS_OBS_CONTEXT, TriageCodes.DEVICE_OBSERVER_MODEL_NAME, e.modelName());
        root.code(SrItem.HAS_CONCEPT_MOD, TriageCodes.PROCEDURE_REPORTED, TriageCodes.CT_OF_HEAD);

        List<KeySlice> slices = distinctSlices(p.keySlices());
        if (!slices.isEmpty()) {
            SrItem library = root.container(SrItem.CONTAINS, TriageCodes.IMAGE_LIBRARY)
                    .container(SrItem.CONTAINS, TriageCodes.IMAGE_LIBRARY_GROUP);
            slices.forEach(k -> library.image(SrItem.CONTAINS, null, k.sopClassUid(), k.sopInstanceUid()));
        }

        String chosenBy = p.operatingPoint().chosenBy();
        SrItem measurements = root.container(SrItem.CONTAINS, TriageCodes.IMAGING_MEASUREMENTS);
        for (Finding f : findings) {
            Code finding = TriageCodes.finding(f.label());
            SrItem group = measurements.container(SrItem.CONTAINS, TriageCodes.MEASUREMENT_GROUP).template(TID_MEASUREMENT_GROUP);
            group.text(SrItem.HAS_OBS_CONTEXT, TriageCodes.TRACKING_IDENTIFIER, f.label().csvName());
            group.uidref(SrItem.HAS_OBS_CONTEXT, TriageCodes.TRACKING_UID,
                    ResultUids.finding(study.studyInstanceUid(), e.modelName(), e.modelVersion(), f.label().csvName()));
            group.code(SrItem.CONTAINS, TriageCodes.FINDING, finding);
            SrItem probability = group.num(SrItem.CONTAINS, TriageCodes.PROBABILITY, f.probability(), TriageCodes.NO_UNITS);
            algorithm(probability, e, null);
            if (f.keySlice() != null) {
                probability.image(SrItem.INFERRED_FROM, TriageCodes.SOURCE_OF_MEASUREMENT,
                        f.keySlice().sopClassUid(), f.keySlice().sopInstanceUid());
            }
            SrItem threshold = group.num(SrItem.CONTAINS, TriageCodes.THRESHOLD, f.threshold(), TriageCodes.NO_UNITS);
            algorithm(threshold, e, chosenBy == null || chosenBy.isBlank() ? null : "operating point: " + chosenBy);
            group.code(SrItem.CONTAINS, finding, f.positive() ? TriageCodes.YES : TriageCodes.NO);
        }
        return root;
    }

    /** TID 4019 Algorithm Identification under a measurement. */
    private static void algorithm(SrItem measurement, ResultEquipment e, String parameters) {
        measurement.text(SrItem.HAS_CONCEPT_MOD, TriageCodes.ALGORITHM_NAME, e.modelName());
        measurement.text(SrItem.HAS_CONCEPT_MOD, TriageCodes.ALGORITHM_VERSION, e.modelVersion());
        if (parameters != null) measurement.text(SrItem.HAS_CONCEPT_MOD, TriageCodes.ALGORITHM_PARAMETERS, parameters);
    }

    private static List<KeySlice> distinctSlices(List<KeySlice> keySlices) {
        Map<String, KeySlice> bySop = new LinkedHashMap<>();
        for (KeySlice k : keySlices == null ? List.<KeySlice>of() : keySlices) bySop.putIfAbsent(k.sopInstanceUid(), k);
        return List.copyOf(bySop.values());
    }

    /** Current Requested Procedure Evidence: every referenced instance, grouped by series, in the study. */
    private static List<DataSet> evidence(SourceStudy study, List<KeySlice> keySlices) {
        Map<String, List<KeySlice>> bySeries = new LinkedHashMap<>();
        for (KeySlice k : distinctSlices(keySlices)) bySeries.computeIfAbsent(k.seriesInstanceUid(), s -> new ArrayList<>()).add(k);
        if (bySeries.isEmpty()) return List.of();
        List<DataSet> series = new ArrayList<>();
        bySeries.forEach((uid, slices) -> series.add(new DataSet().put("SeriesInstanceUID", uid).sequence("ReferencedSOPSequence",
                slices.stream().map(k -> new DataSet().put("ReferencedSOPClassUID", k.sopClassUid())
                        .put("ReferencedSOPInstanceUID", k.sopInstanceUid())).toList())));
        return List.of(new DataSet().put("StudyInstanceUID", study.studyInstanceUid()).sequence("ReferencedSeriesSequence", series));
    }

    /**
     * What the SR says, as 16 hex digits of a SHA-256: per label its probability, threshold and call, and the key
     * slices. Part of the SR's SOP Instance UID ({@link ResultUids#srInstance}); the time is left out, so a repeated
     * triage of the same slices is the same instance.
     */
    static String findingsDigest(StudyPredicted prediction) {
        StringBuilder s = new StringBuilder();
        new java.util.TreeMap<>(prediction.probabilities()).forEach((label, p) -> s.append(label).append('=').append(p).append('/')
                .append(prediction.operatingPoint().thresholds().get(label)).append('/').append(prediction.positive().get(label)).append(';'));
        for (StudyPredicted.KeySlice k : prediction.keySlices()) s.append(k.sopInstanceUid()).append(':').append(k.label()).append(';');
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
