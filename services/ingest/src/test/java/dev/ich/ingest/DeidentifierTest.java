package dev.ich.ingest;

import dev.ich.core.dicom.Deidentification;
import dev.ich.core.dicom.DicomHeader;
import dev.ich.core.dicom.DicomReader;
import dev.ich.ingest.PlantedIdentifiers.Planted;
import dev.ich.ingest.PlantedIdentifiers.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The profile itself, on phantoms with identifiers planted everywhere and on pydicom's real CT files. */
class DeidentifierTest {
    private final Deidentifier deidentifier = new Deidentifier("a-test-secret");

    @Test
    void aPhantomSliceWithIdentifiersPlantedEverywhereKeepsNoneOfThemAndShiftsItsDates(@TempDir Path dir) throws Exception {
        Planted planted = PlantedIdentifiers.plant(Fixtures.study(931).slices().get(0).file(), dir);
        byte[] original = Fixtures.bytes(planted.file());

        byte[] clean = deidentifier.deidentify(original, planted.patientId());

        Report before = PlantedIdentifiers.report(original);
        Report after = PlantedIdentifiers.report(clean);
        assertThat(before.text("PatientName")).startsWith("Planted");
        // the judge can fail: on the planted original it does
        assertThatThrownBy(() -> DeidentifiedChecks.nothingPlantedSurvives(before, planted)).isInstanceOf(AssertionError.class);
        DeidentifiedChecks.nothingPlantedSurvives(after, planted);
        DeidentifiedChecks.datesShifted(after, planted, deidentifier.dateShiftDays(planted.patientId()));
        DeidentifiedChecks.profileRecordedAndPipelineAttributesKept(before, after, deidentifier.patientKey(planted.patientId()));
        DeidentifiedChecks.cleansLikeTheOriginal(original, clean);
        assertThat(after.text("PatientSex")).isEmpty();
        assertThat(after.top("PatientAge")).isEmpty();
    }

    @Test
    void withDatesRemovedNoDateOrTimeKeepsAValue(@TempDir Path dir) throws Exception {
        Deidentifier removing = new Deidentifier("a-test-secret", Deidentification.Dates.REMOVE, false);
        Planted planted = PlantedIdentifiers.plant(Fixtures.study(932).slices().get(0).file(), dir);
        byte[] original = Fixtures.bytes(planted.file());

        Report after = PlantedIdentifiers.report(removing.deidentify(original, planted.patientId()));

        DeidentifiedChecks.nothingPlantedSurvives(after, planted);
        DeidentifiedChecks.datesRemoved(after);
        assertThat(after.text("StudyDate")).isEmpty();
        DeidentifiedChecks.profileRecordedAndPipelineAttributesKept(PlantedIdentifiers.report(original), after,
                removing.patientKey(planted.patientId()));
    }

    @Test
    void retainingPatientCharacteristicsKeepsSexAndAgeAndSaysSo(@TempDir Path dir) throws Exception {
        Deidentifier keeping = new Deidentifier("a-test-secret", Deidentification.Dates.SHIFT, true);
        Planted planted = PlantedIdentifiers.plant(Fixtures.study(933).slices().get(0).file(), dir);

        Report after = PlantedIdentifiers.report(keeping.deidentify(Fixtures.bytes(planted.file()), planted.patientId()));

        DeidentifiedChecks.nothingPlantedSurvives(after, planted);
        assertThat(after.text("PatientSex")).isEqualTo("F");
        assertThat(after.text("PatientAge")).isEqualTo("047Y");
        assertThat(after.methodCodes()).contains("113108");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CT_small.dcm", "693_J2KI.dcm", "J2K_pixelrep_mismatch.dcm"})
    void pydicomsRealCtFilesLoseTheirNamesPrivateDataAndTrueDates(String name) throws Exception {
        byte[] original = Fixtures.pydicom(name);
        DicomHeader header = DicomReader.create().readHeader(original, name);
        Report before = PlantedIdentifiers.report(original);
        assertThat(before.elements()).anyMatch(e -> e.vr().equals("PN") && !e.text().isBlank());

        byte[] clean = deidentifier.deidentify(original, header.patientId());

        Report after = PlantedIdentifiers.report(clean);
        assertThat(after.elements()).noneMatch(PlantedIdentifiers.Element::isPrivate);
        DeidentifiedChecks.profileRecordedAndPipelineAttributesKept(before, after, deidentifier.patientKey(header.patientId()));
        String studyDate = before.text("StudyDate");
        if (studyDate != null && studyDate.length() == 8) {
            assertThat(after.text("StudyDate"))
                    .isEqualTo(DeidentifiedChecks.shift(studyDate, deidentifier.dateShiftDays(header.patientId())));
        }
        if (name.equals("CT_small.dcm")) DeidentifiedChecks.cleansLikeTheOriginal(original, clean);
    }

    @Test
    void theSameInstanceAlwaysGivesTheSameBytesWhateverItsFileMetaHeader() throws Exception {
        byte[] original = Fixtures.bytes(Fixtures.study(934).slices().get(0));
        // What a C-STORE receiver hands over: the same data set under another file meta header.
        byte[] rewrapped = Fixtures.rewritten(original, java.util.Map.of());
        assertThat(rewrapped).isNotEqualTo(original);

        byte[] once = deidentifier.deidentify(original, "P1");
        assertThat(deidentifier.deidentify(original, "P1")).isEqualTo(once);
        assertThat(new Deidentifier("a-test-secret").deidentify(rewrapped, "P1")).isEqualTo(once);
    }

    @Test
    void anInstanceWithTheRsnaDataSetsIdsKeepsThemAndGetsAKeyedPatientId() throws Exception {
        Fixtures.RsnaIds ids = Fixtures.RsnaIds.of(961);
        byte[] rsna = Fixtures.rsna(Fixtures.study(961).slices().get(0), ids, ids.sop(0));

        byte[] clean = deidentifier.deidentify(rsna, ids.patient());

        DicomHeader after = DicomReader.create().readHeader(clean, "clean.dcm");
        assertThat(after.sopInstanceUid()).isEqualTo(ids.sop(0));
        assertThat(after.studyInstanceUid()).isEqualTo(ids.study());
        assertThat(after.seriesInstanceUid()).isEqualTo(ids.series());
        assertThat(after.patientId()).isEqualTo(deidentifier.patientKey(ids.patient())).isNotEqualTo(ids.patient());
        assertThat(after.text("PatientIdentityRemoved")).isEqualTo("YES");
    }

    @Test
    void oneSecretGivesOnePatientOneKeyAndOneShift_anotherSecretAnother() {
        assertThat(deidentifier.patientKey("ID_0001")).isEqualTo(new Deidentifier("a-test-secret").patientKey("ID_0001"))
                .isNotEqualTo(deidentifier.patientKey("ID_0002"))
                .isNotEqualTo(new Deidentifier("another-secret").patientKey("ID_0001"))
                .matches("ID_[0-9a-f]{12}");
        assertThat(deidentifier.dateShiftDays("ID_0001")).isEqualTo(new Deidentifier("a-test-secret").dateShiftDays("ID_0001"));
        Set<Integer> shifts = new HashSet<>();
        IntStream.range(0, 200).forEach(i -> shifts.add(deidentifier.dateShiftDays("ID_" + i)));
        assertThat(shifts).allMatch(d -> d >= 1 && d <= Deidentifier.MAX_SHIFT_DAYS).hasSizeGreaterThan(150);
        assertThatThrownBy(() -> new Deidentifier(" ")).hasMessageContaining("ich.ingest.deidentify.key");
    }
}
