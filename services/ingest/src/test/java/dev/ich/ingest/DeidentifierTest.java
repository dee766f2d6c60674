package dev.ich.ingest;

import dev.ich.core.dicom.DicomHeader;
import dev.ich.core.dicom.DicomReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** De-identification at the door, judged by dcmtk's dcmdump and by ich's own reader. */
class DeidentifierTest {
    private final Deidentifier deidentifier = new Deidentifier("a-test-secret");

    @Test
    void aRealCtSliceLosesItsNameAndKeepsAKeyedPatientId(@TempDir Path dir) throws Exception {
        byte[] original = Fixtures.pydicom("CT_small.dcm");
        DicomHeader before = DicomReader.create().readHeader(original, "CT_small.dcm");
        assertThat(before.text("PatientName")).isNotBlank();

        byte[] clean = deidentifier.deidentify(original, before.patientId());

        DicomHeader after = DicomReader.create().readHeader(clean, "clean.dcm");
        assertThat(after.text("PatientName")).isNull();
        assertThat(after.patientId()).isEqualTo(deidentifier.patientKey(before.patientId())).matches("ID_[0-9a-f]{12}");
        assertThat(after.text("InstitutionName")).isNull();
        assertThat(after.sopInstanceUid()).isEqualTo(before.sopInstanceUid());
        Path file = Files.write(dir.resolve("clean.dcm"), clean);
        String dump = dcmdump(file);
        assertThat(dump).contains("(0010,0010) PN (no value available)").contains("(0012,0062) CS [YES]")
                .doesNotContain(before.text("PatientName")).doesNotContain("(0008,0080)");
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
    void oneSecretGivesOnePatientOneKey_anotherSecretAnother() {
        assertThat(deidentifier.patientKey("ID_0001")).isEqualTo(new Deidentifier("a-test-secret").patientKey("ID_0001"))
                .isNotEqualTo(deidentifier.patientKey("ID_0002"))
                .isNotEqualTo(new Deidentifier("another-secret").patientKey("ID_0001"));
        assertThatThrownBy(() -> new Deidentifier(" ")).hasMessageContaining("ich.ingest.deidentify.key");
    }

    private static String dcmdump(Path file) throws Exception {
        Process p = new ProcessBuilder("dcmdump", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
