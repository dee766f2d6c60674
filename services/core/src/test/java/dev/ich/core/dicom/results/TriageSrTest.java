package dev.ich.core.dicom.results;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import dev.ich.core.contract.Uids;
import dev.ich.core.dicom.DicomEdit;
import dev.ich.core.dicom.DicomProblem;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomRewriter;
import dev.ich.core.event.StudyPredicted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ich.core.dicom.results.ResultFixture.EQUIPMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/** Given a triaged phantom study, when its SR is written, then validators, viewers and readers accept what it says. */
class TriageSrTest {
    /**
     * The only warning dciodvfy may give: it knows the coding schemes of PS3.16 and not private ones, and warns on
     * each ich code (the three subtypes without a confirmed SNOMED CT code). The SR declares the scheme in its
     * Coding Scheme Identification Sequence, which is what the standard asks of a private scheme.
     */
    private static final String PRIVATE_SCHEME_WARNING =
            "Warning - Unrecognized defined term <99ICH> for value 1 of attribute <Coding Scheme Designator>";

    @Test
    void dciodvfyFindsNoErrorInTheSr(@TempDir Path dir) throws Exception {
        Path sr = write(dir, TriageSr.write(ResultFixture.study(), ResultFixture.prediction(), EQUIPMENT));

        DicomTools.Output verdict = DicomTools.dciodvfy(sr);

        assertThat(verdict.lines()).as(verdict.text()).contains("ComprehensiveSR");
        assertThat(verdict.errors()).as(verdict.text()).isEmpty();
        assertThat(verdict.warnings()).as(verdict.text()).isNotEmpty().allMatch(PRIVATE_SCHEME_WARNING::equals);
    }

    @Test
    void aSourceWithoutPatientNameOrDatesStillGivesAValidSrWithThoseAttributesPresentAndEmpty(@TempDir Path dir) throws Exception {
        SourceStudy bare = SourceStudy.of(ResultFixture.bareSource());
        ResultObject result = TriageSr.write(bare, ResultFixture.prediction(), EQUIPMENT);

        DicomTools.Output verdict = DicomTools.dciodvfy(write(dir, result));
        assertThat(verdict.errors()).as(verdict.text()).isEmpty();
        ReadBack sr = new ReadBack(result.part10());
        for (String type2 : List.of("PatientName", "PatientBirthDate", "PatientSex", "StudyDate", "StudyTime",
                "AccessionNumber", "ReferringPhysicianName", "StudyID")) {
            assertThat(sr.has(type2)).as(type2).isTrue();
            assertThat(sr.text(type2)).as(type2).isEmpty();
        }
        assertThat(sr.text("PatientID")).isEqualTo(ResultFixture.slice(0).patientId());
        // every text is ASCII: the default repertoire, which every PACS reads
        assertThat(sr.has("SpecificCharacterSet")).isFalse();
    }

    @Test
    void dsrdumpPrintsEachLabelsFindingProbabilityThresholdAndCall(@TempDir Path dir) throws Exception {
        Path sr = write(dir, TriageSr.write(ResultFixture.study(), ResultFixture.prediction(), EQUIPMENT));

        DicomTools.Output tree = DicomTools.dsrdump(sr);

        assertThat(tree.exit()).as(tree.text()).isZero();
        assertThat(tree.text()).contains("Comprehensive SR Document", "Verification Flag   : UNVERIFIED",
                "Series              : ich ICH triage (ich-resnet18-any v3)",
                "<CONTAINER:(,,\"Imaging Measurement Report\")=SEPARATE>",
                "<has obs context CODE:(,,\"Observer Type\")=(121007,DCM,\"Device\")>",
                "<contains CODE:(,,\"Finding\")=(1386000,SCT,\"Intracranial hemorrhage\")>",
                "<contains NUM:(,,\"Probability\")=\"0.9731\" (1,UCUM,\"no units\")>",
                "<contains NUM:(,,\"Threshold Value\")=\"0.42\" (1,UCUM,\"no units\")>",
                "<contains CODE:(,,\"Intracranial hemorrhage\")=(373066001,SCT,\"Yes\")>",
                "<contains CODE:(,,\"Subdural intracranial hemorrhage\")=(373066001,SCT,\"Yes\")>",
                "<contains CODE:(,,\"Epidural hemorrhage\")=(373067005,SCT,\"No\")>",
                "<contains CODE:(,,\"Finding\")=(epidural,99ICH,\"Epidural hemorrhage\")>",
                "<inferred from IMAGE:(,,\"Source of Measurement\")=(CT image,)>");
        assertThat(tree.lines().stream().filter(l -> l.contains("\"Measurement Group\""))).hasSize(6);
    }

    @Test
    void dcmdumpAndPydicomReadTheSr(@TempDir Path dir) throws Exception {
        Path sr = write(dir, TriageSr.write(ResultFixture.study(), ResultFixture.prediction(), EQUIPMENT));

        DicomTools.Output dump = DicomTools.dcmdump(sr);
        assertThat(dump.exit()).as(dump.text()).isZero();
        assertThat(dump.lines()).noneMatch(l -> l.startsWith("E:"));
        assertThat(dump.text()).contains("(0040,a493) CS [UNVERIFIED]", "(0040,a491) CS [COMPLETE]");

        DicomTools.Output py = DicomTools.pydicom(String.join("\n",
                "import sys, pydicom",
                "d = pydicom.dcmread(sys.argv[1])",
                "groups = d.ContentSequence[-1].ContentSequence",
                "print(d.Modality, d.VerificationFlag, str(d.PatientName), len(groups))"), sr);
        assertThat(py.exit()).as(py.text()).isZero();
        assertThat(py.text().strip()).isEqualTo("SR UNVERIFIED Müller^Jürgen 6");
    }

    @Test
    void pixelMedReadsBackEveryValueTheTriageHad() throws Exception {
        StudyPredicted prediction = ResultFixture.prediction();
        ResultObject result = TriageSr.write(ResultFixture.study(), prediction, EQUIPMENT);

        ReadBack sr = new ReadBack(result.part10());
        Map<String, ReadBack.Group> groups = sr.groups();
        assertThat(groups.keySet()).containsExactly("any", "epidural", "intraparenchymal", "intraventricular",
                "subarachnoid", "subdural");
        String keySlice = ResultFixture.slice(2).sopInstanceUid();
        prediction.probabilities().forEach((label, p) -> {
            ReadBack.Group g = groups.get(label);
            // the exact double survives (Floating Point Value) though the decimal string may be rounded
            assertThat(g.probability()).as(label).isEqualTo(p);
            assertThat(Double.parseDouble(g.probabilityText())).as(label).isCloseTo(p, offset(1e-14));
            assertThat(g.threshold()).as(label).isEqualTo(prediction.operatingPoint().thresholds().get(label));
            assertThat(g.call()).as(label).isEqualTo(prediction.positive().get(label) ? "373066001" : "373067005");
            assertThat(g.keySlice()).as(label).isEqualTo(label.equals("any") || label.equals("subdural") ? keySlice : null);
        });
        assertThat(groups.get("subarachnoid").probabilityText()).hasSizeLessThanOrEqualTo(16);
        assertThat(groups.get("any")).extracting(ReadBack.Group::findingCode, ReadBack.Group::findingScheme)
                .containsExactly("1386000", "SCT");
        assertThat(groups.get("epidural").findingScheme()).isEqualTo("99ICH");
        assertThat(sr.imageLibrary()).containsExactly(keySlice);

        assertThat(sr.text("SOPClassUID")).isEqualTo(TriageSr.SOP_CLASS).isEqualTo(result.sopClassUid());
        assertThat(sr.text("SOPInstanceUID")).isEqualTo(result.sopInstanceUid());
        assertThat(sr.text("SeriesInstanceUID")).isEqualTo(result.seriesInstanceUid())
                .isNotEqualTo(ResultFixture.slice(0).seriesInstanceUid());
        assertThat(sr.text("StudyInstanceUID")).isEqualTo(ResultFixture.slice(0).studyInstanceUid());
        assertThat(sr.text("VerificationFlag")).isEqualTo("UNVERIFIED");
        assertThat(sr.text("CompletionFlag")).isEqualTo("COMPLETE");
        assertThat(sr.text("InstanceNumber")).isEqualTo("1");
        assertThat(sr.text("ContentDate")).isEqualTo("20260117");
        assertThat(sr.text("ContentTime")).isEqualTo("093015.250");
        assertThat(sr.text("PatientName")).isEqualTo("Müller^Jürgen");
        assertThat(sr.text("SpecificCharacterSet")).isEqualTo("ISO_IR 192");
        assertThat(sr.text("AccessionNumber")).isEqualTo("ACC-2026-0042");
        assertThat(sr.text("ReferringPhysicianName")).isEqualTo("Referrer^Rita");
        assertThat(sr.inFirstItem("ContributingEquipmentSequence", "Manufacturer")).isEqualTo("ich");
        assertThat(sr.inFirstItem("ContributingEquipmentSequence", "ManufacturerModelName")).isEqualTo("ich-resnet18-any");
        assertThat(sr.inFirstItem("ContributingEquipmentSequence", "SoftwareVersions")).isEqualTo("3");
        AttributeList evidence = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(
                sr.list(), ReadBack.tag("CurrentRequestedProcedureEvidenceSequence"));
        assertThat(Attribute.getSingleStringValueOrEmptyString(evidence, ReadBack.tag("StudyInstanceUID")))
                .isEqualTo(ResultFixture.slice(0).studyInstanceUid());
        AttributeList series = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(
                evidence, ReadBack.tag("ReferencedSeriesSequence"));
        assertThat(Attribute.getSingleStringValueOrEmptyString(series, ReadBack.tag("SeriesInstanceUID")))
                .isEqualTo(ResultFixture.slice(2).seriesInstanceUid());
        assertThat(SequenceAttribute.getSingleStringValueOfNamedAttributeFromWithinSequenceWithSingleItemOrEmptyString(
                series, ReadBack.tag("ReferencedSOPSequence"), ReadBack.tag("ReferencedSOPInstanceUID"))).isEqualTo(keySlice);
    }

    @Test
    void theSameTriageGivesTheSameBytesAndAnotherModelVersionOtherObjects() throws Exception {
        ResultObject first = TriageSr.write(ResultFixture.study(), ResultFixture.prediction(), EQUIPMENT);
        ResultObject again = TriageSr.write(ResultFixture.study(), ResultFixture.prediction(), EQUIPMENT);
        assertThat(again.part10()).isEqualTo(first.part10());
        assertThat(Uids.isDicomUid(first.sopInstanceUid())).isTrue();
        assertThat(Uids.isDicomUid(first.seriesInstanceUid())).isTrue();

        ResultEquipment v4 = new ResultEquipment(EQUIPMENT.modelName(), "4", "0.1.0", null);
        StudyPredicted byV4 = withModel(ResultFixture.prediction(), "4");
        ResultObject other = TriageSr.write(ResultFixture.study(), byV4, v4);
        assertThat(other.sopInstanceUid()).isNotEqualTo(first.sopInstanceUid());
        assertThat(other.seriesInstanceUid()).isNotEqualTo(first.seriesInstanceUid());
    }

    @Test
    void aStudyTriagedAgainWithOtherFindingsGetsANewSrInTheSameSeries() throws Exception {
        StudyPredicted p = ResultFixture.prediction();
        ResultObject first = TriageSr.write(ResultFixture.study(), p, EQUIPMENT);
        java.util.Map<String, Double> higher = new java.util.LinkedHashMap<>(p.probabilities());
        higher.replaceAll((label, q) -> Math.min(1.0, q + 0.01));
        StudyPredicted later = new StudyPredicted(p.studyInstanceUid(), p.outcome(), p.reason(), p.model(), p.operatingPoint(), higher,
                p.positive(), p.keySlices(), p.slicesPredicted() + 1, p.slicesKept() + 1, p.results(), p.predictedAt().plusSeconds(90));
        ResultObject second = TriageSr.write(ResultFixture.study(), later, EQUIPMENT);
        assertThat(second.seriesInstanceUid()).isEqualTo(first.seriesInstanceUid());
        assertThat(second.sopInstanceUid()).as("other findings under the first SR's UID would be lost in a PACS").isNotEqualTo(first.sopInstanceUid());
        StudyPredicted sameLater = new StudyPredicted(p.studyInstanceUid(), p.outcome(), p.reason(), p.model(), p.operatingPoint(),
                p.probabilities(), p.positive(), p.keySlices(), p.slicesPredicted(), p.slicesKept(), p.results(), p.predictedAt().plusSeconds(90));
        assertThat(TriageSr.write(ResultFixture.study(), sameLater, EQUIPMENT).sopInstanceUid()).isEqualTo(first.sopInstanceUid());
    }

    @Test
    void aTextThatIsNotAsciiAnywhereInTheTreeMakesTheSrSayUtf8() throws Exception {
        SourceStudy ascii = SourceStudy.of(ResultFixture.bareSource());
        ResultObject result = TriageSr.write(ascii, ResultFixture.prediction("sensitivity ≥ 0.95 on validation"), EQUIPMENT);

        ReadBack sr = new ReadBack(result.part10());
        assertThat(sr.text("SpecificCharacterSet")).isEqualTo("ISO_IR 192");
        assertThat(new String(result.part10(), StandardCharsets.UTF_8)).contains("operating point: sensitivity ≥ 0.95");
    }

    @Test
    void aStudyThatWasNotTriagedHasNoSr() {
        StudyPredicted p = ResultFixture.prediction();
        StudyPredicted none = new StudyPredicted(p.studyInstanceUid(), StudyPredicted.NO_KEPT_SLICE,
                "no slice passed the drop rule", null, null, Map.of(), Map.of(), List.of(), 4, 0, List.of(), p.predictedAt());

        assertThatThrownBy(() -> TriageSr.write(ResultFixture.study(), none, EQUIPMENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outcome no-kept-slice").hasMessageContaining("no slice passed the drop rule");
    }

    @Test
    void aPredictionMissingAThresholdOrByAnotherModelIsRefusedWithTheReason() throws Exception {
        StudyPredicted p = ResultFixture.prediction();
        Map<String, Double> thresholds = new HashMap<>(p.operatingPoint().thresholds());
        thresholds.remove("subdural");
        StudyPredicted noThreshold = new StudyPredicted(p.studyInstanceUid(), p.outcome(), null, p.model(),
                new StudyPredicted.OperatingPoint(thresholds, "x"), p.probabilities(), p.positive(), p.keySlices(),
                4, 3, List.of(), p.predictedAt());
        SourceStudy study = ResultFixture.study();

        assertThatThrownBy(() -> TriageSr.write(study, noThreshold, EQUIPMENT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subdural").hasMessageContaining("threshold");
        assertThatThrownBy(() -> TriageSr.write(study, withModel(p, "9"), EQUIPMENT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("v9");
    }

    @Test
    void aSourceWithoutStudyInstanceUidOrThatIsNotDicomIsADicomReadException() throws Exception {
        byte[] noStudy = DicomRewriter.create().rewrite(ResultFixture.bareSource(),
                new DicomEdit(Set.of("StudyInstanceUID"), Set.of(), Map.of(), false));

        assertThatThrownBy(() -> SourceStudy.of(noStudy)).isInstanceOf(DicomReadException.class)
                .hasMessageContaining("no Study Instance UID");
        assertThatThrownBy(() -> SourceStudy.of("not a DICOM file at all, just text".getBytes()))
                .isInstanceOf(DicomReadException.class)
                .extracting(e -> ((DicomReadException) e).problem()).isEqualTo(DicomProblem.NotDicom);
    }

    static StudyPredicted withModel(StudyPredicted p, String version) {
        return new StudyPredicted(p.studyInstanceUid(), p.outcome(), p.reason(),
                new StudyPredicted.ModelRef(p.model().name(), version), p.operatingPoint(), p.probabilities(),
                p.positive(), p.keySlices(), p.slicesPredicted(), p.slicesKept(), p.results(), p.predictedAt());
    }

    static Path write(Path dir, ResultObject o) throws Exception {
        return Files.write(dir.resolve(o.sopInstanceUid() + ".dcm"), o.part10());
    }

}
