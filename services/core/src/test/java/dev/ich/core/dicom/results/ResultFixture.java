package dev.ich.core.dicom.results;

import dev.ich.core.dicom.DicomEdit;
import dev.ich.core.dicom.DicomRewriter;
import dev.ich.core.event.StudyPredicted;
import dev.ich.core.event.StudyPredicted.KeySlice;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomImage;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One small phantom study (written once per JVM) and a triage of it: two positive labels (any, subdural), the rest
 * negative, with the key slices inference would name (the top slice of any and of each positive label). The source
 * instance gets the patient and study attributes a PACS study has and the phantoms leave out.
 */
final class ResultFixture {
    static final PhantomOptions OPTIONS = PhantomOptions.of(1, 20260117L).withSlicesPerStudy(4).withSize(128);
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final Instant PREDICTED_AT = Instant.parse("2026-01-17T09:30:15.250Z");
    static final ResultEquipment EQUIPMENT = new ResultEquipment("ich-resnet18-any", "3", "0.1.0", "ich test hospital");
    private static PhantomSet set;

    private ResultFixture() {
    }

    static synchronized PhantomSet phantoms() {
        if (set == null) {
            try {
                Path dir = Files.createTempDirectory("ich-results-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                set = new PhantomGenerator(OPTIONS).generate(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return set;
    }

    static SliceTruth slice(int index) {
        return phantoms().slices().get(index);
    }

    /** The phantom slice as it came from the generator: no patient name, dates or accession number. */
    static byte[] bareSource() {
        try {
            return Files.readAllBytes(slice(1).file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The slice with what a PACS study has, in UTF-8 with a name that is not ASCII. */
    static byte[] source(String patientName) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("SpecificCharacterSet", "ISO_IR 192");
        values.put("PatientName", patientName);
        values.put("PatientBirthDate", "19580304");
        values.put("PatientSex", "F");
        values.put("StudyDate", "20260116");
        values.put("StudyTime", "231502");
        values.put("StudyID", "4711");
        values.put("AccessionNumber", "ACC-2026-0042");
        values.put("ReferringPhysicianName", "Referrer^Rita");
        values.put("StudyDescription", "CT head without contrast");
        return DicomRewriter.create().rewrite(bareSource(), new DicomEdit(Set.of(), Set.of(), values, false));
    }

    static SourceStudy study() throws Exception {
        return SourceStudy.of(source("Müller^Jürgen"));
    }

    static KeySlice key(int index, String label, double probability) {
        SliceTruth t = slice(index);
        return new KeySlice(t.sopInstanceUid(), t.seriesInstanceUid(), CT, label, probability);
    }

    static StudyPredicted prediction() {
        return prediction("sensitivity>=0.95 on validation (any)");
    }

    static StudyPredicted prediction(String chosenBy) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("any", 0.9731);
        p.put("epidural", 0.0123);
        p.put("intraparenchymal", 0.2);
        p.put("intraventricular", 1.0E-7);
        p.put("subarachnoid", 0.31415926535897931);
        p.put("subdural", 0.88);
        Map<String, Double> t = new LinkedHashMap<>();
        for (String label : p.keySet()) t.put(label, label.equals("any") ? 0.42 : 0.5);
        Map<String, Boolean> positive = new LinkedHashMap<>();
        p.forEach((label, v) -> positive.put(label, v >= t.get(label)));
        List<KeySlice> keys = List.of(key(2, "any", 0.9731), key(2, "subdural", 0.88));
        return new StudyPredicted(slice(0).studyInstanceUid(), StudyPredicted.PREDICTED, null,
                new StudyPredicted.ModelRef(EQUIPMENT.modelName(), EQUIPMENT.modelVersion()),
                new StudyPredicted.OperatingPoint(t, chosenBy), p, positive, keys, 4, 3, List.of(), PREDICTED_AT);
    }

    /**
     * The key slice in a brain window (40/80 HU) with a heatmap blended over it: a warm blob, the way a Grad-CAM
     * map shows where the model looked. Built here; inference makes the real one.
     */
    static BufferedImage overlay(int index) {
        PhantomImage image = new PhantomGenerator(OPTIONS).render(0, index);
        int rows = image.rows(), cols = image.columns();
        BufferedImage out = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int grey = (int) Math.round(Math.max(0, Math.min(255, (image.hu(y, x) - 0) * 255.0 / 80)));
                double dy = (y - rows * 0.35) / (rows * 0.12), dx = (x - cols * 0.6) / (cols * 0.12);
                double heat = Math.exp(-(dx * dx + dy * dy));
                int r = (int) Math.round(grey * (1 - 0.5 * heat) + 255 * 0.5 * heat);
                int g = (int) Math.round(grey * (1 - 0.5 * heat) + 160 * heat * 0.5);
                int b = (int) Math.round(grey * (1 - 0.5 * heat));
                out.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return out;
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is not worth failing a test run for
        }
    }
}
