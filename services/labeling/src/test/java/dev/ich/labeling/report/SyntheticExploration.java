package dev.ich.labeling.report;

import dev.ich.labeling.exploration.Exploration;
import dev.ich.labeling.exploration.Exploration.Bin;
import dev.ich.labeling.exploration.Exploration.BitsCount;
import dev.ich.labeling.exploration.Exploration.ColumnNulls;
import dev.ich.labeling.exploration.Exploration.PctHistogram;
import dev.ich.labeling.exploration.Exploration.SampleSlice;
import dev.ich.labeling.exploration.Exploration.Target;
import dev.ich.labeling.drift.PredictionDrift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Explorations shaped like the notebooks' (docs/reference-experiment.md, "Exploration"), without a table behind them. */
final class SyntheticExploration {

    static final long SLICES = 20_000;
    static final List<String> WINDOWS = List.of("brain", "subdural", "bone");

    private SyntheticExploration() {
    }

    /** 68 columns (over 60 of them with nulls), labels version 3, 50 bins, six samples and six dropped slices. */
    static Exploration labeled() {
        return build(3, List.of());
    }

    /** As {@link #labeled()}, plus one sample whose caption is {@code caption}. */
    static Exploration labeledWithCaption(String caption) {
        return build(3, List.of(new SampleSlice("1.2.826.0.1.3680043.2.1125.999", caption, 0.41)));
    }

    /** Before any label upload: no label figures. */
    static Exploration unlabeled() {
        return build(null, List.of());
    }

    /** A table with no rows yet. */
    static Exploration empty() {
        return new Exploration(null, 0, 0, 0, 0, 0, List.of(), new Target(0, 0, 0), Map.of(), List.of(),
                new PctHistogram(0.02, List.of()), WINDOWS, List.of(), List.of(), new PredictionDrift("any", 0, 2_000_000, List.of()));
    }

    private static Exploration build(Integer labelsVersion, List<SampleSlice> extraSamples) {
        Random rng = new Random(7);
        boolean labels = labelsVersion != null;
        List<ColumnNulls> nulls = new ArrayList<>();
        nulls.add(nulls("StudyID", SLICES));
        nulls.add(nulls("WindowCenter_1", SLICES / 2 + 113));
        nulls.add(nulls("WindowWidth_1", SLICES / 2 + 113));
        nulls.add(nulls("PatientSex", 19_400));
        nulls.add(nulls("SliceThickness", 240));
        nulls.add(nulls("<script>alert(1)</script>", 12));
        String[] dicom = {"SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID", "PatientID", "Modality",
            "ImagePositionPatient_0", "ImagePositionPatient_1", "ImagePositionPatient_2", "ImageOrientationPatient_0",
            "ImageOrientationPatient_1", "ImageOrientationPatient_2", "ImageOrientationPatient_3",
            "ImageOrientationPatient_4", "ImageOrientationPatient_5", "SamplesPerPixel", "PhotometricInterpretation",
            "Rows", "Columns", "PixelSpacing_0", "PixelSpacing_1", "BitsAllocated", "BitsStored", "HighBit",
            "PixelRepresentation", "WindowCenter_0", "WindowWidth_0", "RescaleIntercept", "RescaleSlope",
            "img_min", "img_max", "img_mean", "img_std", "img_pct_window", "KVP", "XRayTubeCurrent", "Exposure",
            "ConvolutionKernel", "Manufacturer", "ManufacturerModelName", "InstanceNumber", "SeriesNumber",
            "AcquisitionNumber", "GantryDetectorTilt", "TableHeight", "RotationDirection", "FocalSpots",
            "FilterType", "GeneratorPower", "DataCollectionDiameter", "ReconstructionDiameter",
            "DistanceSourceToDetector", "DistanceSourceToPatient", "SpiralPitchFactor", "BodyPartExamined",
            "StudyDate", "StudyTime", "SeriesDescription", "ProtocolName", "PatientAge", "ContrastBolusAgent",
            "SliceLocation", "PatientPosition"};
        for (String column : dicom) {
            long n = rng.nextInt(10) == 0 ? 0 : 1 + rng.nextInt((int) SLICES / 3);
            nulls.add(nulls(column, n));
        }
        nulls.sort(Comparator.comparingLong(ColumnNulls::nulls).reversed());

        List<Bin> bins = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            double from = i / 50.0;
            double mid = from + 0.01;
            long slices = i == 0 ? 1_400 : Math.round(1_100 * Math.exp(-Math.pow((mid - 0.35) / 0.15, 2)) + 20 * rng.nextDouble());
            if (i > 44) {
                slices = 0;
            }
            long labeled = labels ? Math.round(slices * 0.9) : 0;
            long positives = Math.round(labeled * (0.02 + 0.25 * Math.min(1, mid / 0.4)) * (0.8 + 0.4 * rng.nextDouble()));
            bins.add(new Bin(from, (i + 1) / 50.0, slices, labeled, positives));
        }

        Map<String, Long> subtypes = new LinkedHashMap<>();
        if (labels) {
            subtypes.put("any", 2_860L);
            subtypes.put("epidural", 80L);
            subtypes.put("intraparenchymal", 960L);
            subtypes.put("intraventricular", 690L);
            subtypes.put("subarachnoid", 950L);
            subtypes.put("subdural", 1_250L);
        }
        long labeled = labels ? 18_000 : 0;
        Target target = labels ? new Target(2_860, labeled - 2_860, SLICES - labeled) : new Target(0, 0, SLICES);
        List<BitsCount> bits = List.of(new BitsCount(12L, 0L, 11_800), new BitsCount(16L, 1L, 7_950),
                new BitsCount(12L, 1L, 230), new BitsCount(null, null, 20));

        List<SampleSlice> samples = new ArrayList<>();
        String[] captions = labels
                ? new String[] {"any, subdural", "any, intraparenchymal, intraventricular", "negative", "any, epidural",
                    "negative", "any, subarachnoid"}
                : new String[] {"kept", "kept", "kept", "kept"};
        for (int i = 0; i < captions.length; i++) {
            samples.add(new SampleSlice("1.2.826.0.1.3680043.2.1125.1." + (100 + i), captions[i], 0.3 + i * 0.05));
        }
        samples.addAll(extraSamples);
        List<SampleSlice> dropped = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            dropped.add(new SampleSlice("1.2.826.0.1.3680043.2.1125.2." + (200 + i),
                    "img_pct_window below 0.02 (top of the skull)", 0.002 * i + 0.001));
        }
        return new Exploration(labelsVersion, SLICES, SLICES - 1_400 - 20, 1_400, 20, labeled, nulls, target, subtypes,
                bits, new PctHistogram(0.02, bins), WINDOWS, samples, dropped, drift(labels));
    }

    /** Two weeks of one version's calls, the second with more positive calls than the labels hold. */
    private static PredictionDrift drift(boolean labels) {
        List<PredictionDrift.Cell> cells = new ArrayList<>();
        cells.add(cell("2026-W48", PredictionDrift.ALL, "all", 400, 60, labels ? 380 : 0, labels ? 55 : 0, labels));
        cells.add(cell("2026-W48", PredictionDrift.SCANNER, "12/0", 150, 20, labels ? 140 : 0, labels ? 18 : 0, labels));
        cells.add(cell("2026-W49", PredictionDrift.ALL, "all", 420, 110, labels ? 300 : 0, labels ? 50 : 0, labels));
        return new PredictionDrift("any", 820, 2_000_000, cells);
    }

    private static PredictionDrift.Cell cell(String week, String subgroup, String group, long n, long positive, long labeled,
                                             long labeledPositive, boolean labels) {
        long tp = labels ? labeledPositive * 9 / 10 : 0, fn = labels ? labeledPositive - tp : 0;
        long fp = labels ? Math.max(0, positive * labeled / n - tp) : 0, tn = labels ? labeled - labeledPositive - fp : 0;
        return new PredictionDrift.Cell("phantom-any", "v1", week, subgroup, group, n, n, positive, (double) positive / n, labeled,
                labeledPositive, labels ? (double) labeledPositive / labeled : null, tp, fp, tn, fn,
                labels ? (double) tp / (tp + fn) : null, labels ? (double) tn / (tn + fp) : null);
    }

    private static ColumnNulls nulls(String column, long n) {
        double share = (double) n / SLICES;
        return new ColumnNulls(column, n, share, share >= Exploration.NEARLY_ALL_NULL);
    }
}
