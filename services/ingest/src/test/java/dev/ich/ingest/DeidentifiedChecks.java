package dev.ich.ingest;

import dev.ich.core.clean.CleanedSlice;
import dev.ich.core.clean.CleaningPipeline;
import dev.ich.core.clean.PipelineConfig;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.dicom.DicomSlice;
import dev.ich.ingest.PlantedIdentifiers.Element;
import dev.ich.ingest.PlantedIdentifiers.Planted;
import dev.ich.ingest.PlantedIdentifiers.Report;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a de-identified instance must (not) carry, judged on pydicom's report of the stored bytes. */
final class DeidentifiedChecks {
    /** What cleaning, exploration and serving read, and the profile has no reason to touch. */
    static final List<String> KEPT_FOR_THE_PIPELINE = List.of("SOPClassUID", "SOPInstanceUID", "StudyInstanceUID",
            "SeriesInstanceUID", "FrameOfReferenceUID", "Modality", "Rows", "Columns", "BitsAllocated", "BitsStored",
            "HighBit", "PixelRepresentation", "SamplesPerPixel", "PhotometricInterpretation", "RescaleSlope",
            "RescaleIntercept", "RescaleType", "WindowCenter", "WindowWidth", "ImagePositionPatient",
            "ImageOrientationPatient", "PixelSpacing", "SliceThickness", "SliceLocation", "KVP", "XRayTubeCurrent",
            "Exposure", "ExposureTime", "ConvolutionKernel", "GantryDetectorTilt", "PatientPosition", "InstanceNumber",
            "SeriesNumber", "AcquisitionNumber", "Manufacturer", "ManufacturerModelName", "BodyPartExamined", "PixelData");
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Set<String> PERSON_OR_ID = Set.of("PN");

    private DeidentifiedChecks() {
    }

    /** No planted text anywhere (any case), no planted date, no private element, at any depth. */
    static void nothingPlantedSurvives(Report after, Planted planted) {
        String marker = planted.values().get("marker").asText().toLowerCase(Locale.ROOT);
        List<String> dates = planted.allDates();
        for (Element e : after.elements()) {
            assertThat(e.isPrivate()).as("private element %s (%s) survived", e.path(), e.tag()).isFalse();
            for (String v : e.texts()) {
                assertThat(v.toLowerCase(Locale.ROOT)).as("%s = %s", e.path(), v).doesNotContain(marker);
                for (String d : dates) assertThat(v).as("%s carries the planted date %s", e.path(), d).doesNotContain(d);
            }
        }
    }

    /** Every date moved back by {@code days}, times of day unchanged (PixelMed writes them with fractions). */
    static void datesShifted(Report after, Planted planted, int days) {
        for (String keyword : List.of("StudyDate", "SeriesDate", "AcquisitionDate", "ContentDate", "InstanceCreationDate")) {
            assertThat(after.text(keyword)).as(keyword).isEqualTo(shift(planted.date(keyword), days));
        }
        for (String keyword : List.of("StudyTime", "SeriesTime", "AcquisitionTime", "ContentTime")) {
            assertThat(after.text(keyword)).as(keyword).startsWith(planted.time(keyword));
        }
        String dateTime = planted.values().get("acquisitionDateTime").asText();
        assertThat(after.text("AcquisitionDateTime")).startsWith(shift(dateTime.substring(0, 8), days) + dateTime.substring(8));
        assertThat(after.text("PatientBirthDate")).isNullOrEmpty();
        assertThat(after.methodCodes()).contains("113107");
    }

    /** No date or time with a value (Study and Content Date/Time stay, empty: the profile's Z). */
    static void datesRemoved(Report after) {
        for (Element e : after.elements()) {
            if (Set.of("DA", "DT", "TM").contains(e.vr())) assertThat(e.text()).as(e.path()).isEmpty();
        }
        assertThat(after.methodCodes()).doesNotContain("113107");
    }

    /** The profile's record of itself, the pseudonym, and everything the pipeline reads, unchanged. */
    static void profileRecordedAndPipelineAttributesKept(Report before, Report after, String pseudonym) {
        assertThat(after.text("PatientID")).isEqualTo(pseudonym);
        assertThat(after.text("PatientIdentityRemoved")).isEqualTo("YES");
        assertThat(after.text("DeidentificationMethod")).isNotBlank();
        assertThat(after.methodCodes()).contains("113100", "113110");
        for (String keyword : KEPT_FOR_THE_PIPELINE) {
            before.top(keyword).ifPresent(b -> assertThat(after.top(keyword)).as(keyword).isPresent()
                    .get().extracting(Element::value).isEqualTo(b.value()));
        }
        // Person names of the original, wherever they were, are gone.
        for (Element b : before.elements()) {
            if (!PERSON_OR_ID.contains(b.vr()) || b.text().isBlank()) continue;
            for (Element a : after.elements()) assertThat(a.text()).as(a.path()).doesNotContain(b.text());
        }
    }

    /** Cleaning reads the de-identified instance exactly as the original: same decision, crop and PNG. */
    static void cleansLikeTheOriginal(byte[] original, byte[] deidentified) throws DicomReadException {
        DicomReader reader = DicomReader.create();
        DicomSlice before = reader.read(original, "original.dcm");
        DicomSlice after = reader.read(deidentified, "deidentified.dcm");
        assertThat(after.attributes()).isEqualTo(before.attributes());
        assertThat(after.pixels().values()).containsExactly(before.pixels().values());
        CleaningPipeline pipeline = new CleaningPipeline(PipelineConfig.defaults());
        CleanedSlice a = pipeline.clean(before);
        CleanedSlice b = pipeline.clean(after);
        assertThat(b.kept()).isEqualTo(a.kept());
        assertThat(b.dropReason()).isEqualTo(a.dropReason());
        assertThat(b.crop()).isEqualTo(a.crop());
        assertThat(b.png()).isEqualTo(a.png());
    }

    static String shift(String date, int days) {
        return LocalDate.parse(date, DA).minusDays(days).format(DA);
    }
}
