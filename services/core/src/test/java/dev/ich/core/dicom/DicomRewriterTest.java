package dev.ich.core.dicom;

import dev.ich.core.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static dev.ich.core.testing.Tools.pydicomFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DicomRewriterTest {
    private final DicomRewriter rewriter = DicomRewriter.create();
    private final DicomReader reader = DicomReader.create();

    @Test
    void aRewrittenCtSliceLosesItsIdentifiersButKeepsItsUidsAndPixels(@TempDir Path dir) throws Exception {
        Path ct = pydicomFile("CT_small.dcm");
        DicomEdit edit = new DicomEdit(Set.of("PatientBirthDate", "InstitutionName"), Set.of("PatientName"),
                Map.of("PatientID", "ID_0123456789ab", "PatientIdentityRemoved", "YES"), true);

        byte[] rewritten = rewriter.rewrite(Files.readAllBytes(ct), edit);
        Path out = Files.write(dir.resolve("out.dcm"), rewritten);

        // dcmtk is the independent judge of what was written
        String dump = Tools.run("dcmdump", "+P", "PatientName", "+P", "PatientID", "+P", "PatientIdentityRemoved",
                "+P", "SOPInstanceUID", "+P", "TransferSyntaxUID", out.toString());
        assertThat(dump).contains("(0010,0010) PN (no value available)")
                .contains("[ID_0123456789ab]")
                .contains("(0012,0062) CS [YES]")
                .contains("[1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322]")
                .contains("=LittleEndianExplicit");
        String full = Tools.run("dcmdump", out.toString());
        assertThat(full).doesNotContain("(0010,0030)").doesNotContain("(0008,0080)");
        assertThat(Tools.run("dcmdump", ct.toString())).contains("(0010,0030)");

        DicomSlice before = reader.read(ct);
        DicomSlice after = reader.read(rewritten, "out.dcm");
        assertThat(after.pixels().values()).containsExactly(before.pixels().values());
        assertThat(after.header().patientId()).isEqualTo("ID_0123456789ab");
    }

    @Test
    void theSameEditOfTheSameInstanceGivesTheSameBytes() throws Exception {
        byte[] in = Files.readAllBytes(pydicomFile("CT_small.dcm"));
        DicomEdit edit = new DicomEdit(Set.of(), Set.of("PatientName"), Map.of("PatientID", "ID_x"), true);

        // de-duplication compares digests, so rewriting must be deterministic
        assertThat(rewriter.rewrite(in, edit)).isEqualTo(rewriter.rewrite(in, edit));
    }

    @Test
    void garbageIsATypedFailureNotACrash() {
        assertThatThrownBy(() -> rewriter.rewrite("hello, not dicom".getBytes(), new DicomEdit(Set.of(), Set.of(), Map.of(), false)))
                .isInstanceOf(DicomReadException.class)
                .extracting(e -> ((DicomReadException) e).problem()).isEqualTo(DicomProblem.NotDicom);
    }
}
