package dev.ich.core.dicom;

import dev.ich.core.phantom.HostileDicom;
import dev.ich.core.phantom.HostileDicom.Nesting;
import dev.ich.core.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Inflater;

import static dev.ich.core.testing.Tools.pydicomFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a red team sends, built in code ({@link HostileDicom}), against the reader every service decodes with:
 * each gets its own {@link DicomProblem} and a reason, and costs a bounded amount of memory (measured as the
 * bytes this thread allocates), never an OutOfMemoryError or a StackOverflowError.
 */
class HostileInputTest {
    private static final long MIB = 1024 * 1024;
    private final DicomReader reader = DicomReader.create();

    @Test
    void theHostileFilesAreWhatTheyClaimToBe() throws Exception {
        byte[] bomb = HostileDicom.deflatedHugeElement(1, 1024).bytes();
        assertThat(bomb.length).isLessThan(2 * (int) MIB);
        Inflater inflater = new Inflater(true);
        inflater.setInput(bomb, dataSetOffset(bomb), bomb.length - dataSetOffset(bomb));
        byte[] chunk = new byte[(int) MIB];
        long total = 0;
        while (!inflater.finished()) total += inflater.inflate(chunk);
        inflater.end();
        assertThat(total).as("a 1 MB file that inflates to 1 GiB").isGreaterThan(1024 * MIB);
        // and the same construction, small, is an ordinary readable slice
        assertThat(reader.read(HostileDicom.deflatedHugeElement(1, 1).bytes(), "small").attributes().rows()).isEqualTo(16);
        assertThat(reader.read(HostileDicom.nestedSequences(1, 5, Nesting.EXPLICIT_SQ, false).bytes(), "shallow").pixels().values())
                .hasSize(256);
    }

    @Test
    void aDeflatedDataSetWithAHugeElementIsRefusedWhileInflating() {
        byte[] bomb = HostileDicom.deflatedHugeElement(2, 1024).bytes();

        long allocated = allocatedBy(() -> assertProblem(bomb, DicomProblem.InflationBudget, "inflates beyond 16777216 bytes"));
        assertThat(allocated).as("bytes allocated reading a 1 GiB bomb").isLessThan(128 * MIB);
        // the element sits before PixelData: a header read inflates it too, and is refused the same way
        assertThatThrownBy(() -> reader.readHeader(bomb, "bomb")).isInstanceOfSatisfying(DicomReadException.class,
                e -> assertThat(e.problem()).isEqualTo(DicomProblem.InflationBudget));
    }

    @Test
    void aDeflatedPixelDataBeyondRowsTimesColumnsIsRefusedWhileInflating() {
        byte[] bomb = HostileDicom.deflatedPixelBomb(3, 1024).bytes();

        long allocated = allocatedBy(() -> assertProblem(bomb, DicomProblem.InflationBudget, "decompression bomb"));
        assertThat(allocated).isLessThan(128 * MIB);
        // the budget is the declared image (512 x 512 x 2 bytes) plus the header allowance
        assertProblem(bomb, DicomProblem.InflationBudget, "beyond " + (16 * MIB + 512 * 512 * 2) + " bytes");
    }

    @Test
    void theBudgetIsTheDeclaredImagePlusTheAllowanceUnderTheHardCap() throws Exception {
        DicomLimits tight = new DicomLimits(4096L * 4096, 256 * MIB, 64, 200_000, 64 * 1024, 64 * MIB);
        byte[] twoMiB = HostileDicom.deflatedHugeElement(4, 2).bytes();
        assertThat(reader.read(twoMiB, "within the default allowance").attributes().columns()).isEqualTo(16);
        assertThatThrownBy(() -> DicomReader.create(tight).read(twoMiB, "beyond 64 KiB"))
                .isInstanceOfSatisfying(DicomReadException.class, e -> assertThat(e.problem()).isEqualTo(DicomProblem.InflationBudget));
        assertThat(DicomLimits.DEFAULT.inflationBudget(512 * 512 * 2)).isEqualTo(16 * MIB + 512 * 512 * 2);
        assertThat(DicomLimits.DEFAULT.inflationBudget(Long.MAX_VALUE)).isEqualTo(DicomLimits.DEFAULT_MAX_INFLATED_BYTES);
        // an ordinary deflated file still reads exactly as before
        Path deflated = pydicomFile("image_dfl.dcm");
        assertThat(reader.read(deflated).pixels().values()).containsExactly(Tools.pydicomPixels(deflated));
    }

    @ParameterizedTest
    @EnumSource(Nesting.class)
    void tenThousandNestedSequencesAreTooDeepInEveryEncoding(Nesting nesting) {
        for (boolean defined : new boolean[] {false, true}) {
            if (nesting == Nesting.UNKNOWN_VR && defined) continue;
            byte[] deep = HostileDicom.nestedSequences(5, 10_000, nesting, defined).bytes();
            String what = nesting + (defined ? ", defined lengths" : ", undefined lengths");
            assertThatThrownBy(() -> reader.read(deep, "deep")).as(what).isInstanceOfSatisfying(DicomReadException.class, e -> {
                assertThat(e.problem()).isEqualTo(DicomProblem.TooDeep);
                assertThat(e.getMessage()).contains("deeper than 64 levels");
            });
            assertThatThrownBy(() -> reader.readHeader(deep, "deep")).as(what).isInstanceOfSatisfying(DicomReadException.class,
                    e -> assertThat(e.problem()).isEqualTo(DicomProblem.TooDeep));
        }
    }

    @Test
    void theDepthLimitIsExactAndAppliesAfterInflation() throws Exception {
        assertThat(reader.read(HostileDicom.nestedSequences(6, 64, Nesting.EXPLICIT_SQ, true).bytes(), "64").pixels().values()).hasSize(256);
        assertProblem(HostileDicom.nestedSequences(6, 65, Nesting.EXPLICIT_SQ, true).bytes(), DicomProblem.TooDeep, "deeper than 64");
        assertThat(reader.read(HostileDicom.nestedSequences(6, 64, Nesting.IMPLICIT_SQ, false).bytes(), "64").pixels().values()).hasSize(256);
        assertProblem(HostileDicom.nestedSequences(6, 65, Nesting.UNKNOWN_VR, false).bytes(), DicomProblem.TooDeep, "deeper than 64");

        byte[] deflatedDeep = HostileDicom.deflated(HostileDicom.nestedSequences(7, 10_000, Nesting.EXPLICIT_SQ, false)).bytes();
        assertThat(deflatedDeep.length).as("10,000 levels deflate to little").isLessThan(20_000);
        assertProblem(deflatedDeep, DicomProblem.TooDeep, "deeper than 64");
        byte[] deflatedShallow = HostileDicom.deflated(HostileDicom.nestedSequences(7, 3, Nesting.EXPLICIT_SQ, false)).bytes();
        assertThat(reader.read(deflatedShallow, "shallow").header().transferSyntaxUid()).isEqualTo(TransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void aMillionItemsAreTooManyElements() throws Exception {
        byte[] wide = HostileDicom.manyItems(8, 300_000).bytes();
        long allocated = allocatedBy(() -> assertProblem(wide, DicomProblem.TooManyElements, "more than 200000"));
        assertThat(allocated).isLessThan(64 * MIB);
        assertThat(reader.read(HostileDicom.manyItems(8, 1000).bytes(), "1000 items").attributes().rows()).isEqualTo(16);
    }

    @Test
    void aValueLongerThanTheFileIsNeverAllocated() {
        byte[] liar = HostileDicom.hugeDeclaredLength(9, 0x7FFF_FFF0L).bytes();
        long allocated = allocatedBy(() -> assertProblem(liar, DicomProblem.Truncated, "(0009,1010) lacks its last"));
        assertThat(allocated).isLessThan(64 * MIB);
        assertThatThrownBy(() -> reader.readHeader(liar, "liar")).isInstanceOfSatisfying(DicomReadException.class,
                e -> assertThat(e.problem()).isEqualTo(DicomProblem.Truncated));
    }

    @Test
    void anRleFrameThatDecodesToMoreThanDeclaredIsRefusedBeforeDecoding() throws Exception {
        assertProblem(HostileDicom.rleLargerThanDeclared(10, 1024).bytes(), DicomProblem.InflationBudget,
                "decodes to more than the 4096 bytes Rows x Columns (64 x 64) declare");
        assertThat(reader.read(HostileDicom.rleLargerThanDeclared(10, 4).bytes(), "exact").pixels().values()).hasSize(64 * 64);
        assertProblem(HostileDicom.rleLargerThanDeclared(10, 2).bytes(), DicomProblem.ShortPixelData, "decodes to 2048 of the 4096 bytes");
    }

    @Test
    void aJpegWhoseFrameHeaderDeclaresABiggerImageIsRefusedBeforeDecoding() throws Exception {
        byte[] bomb = HostileDicom.jpegLargerThanDeclared(11, 30_000, 30_000).bytes();
        long allocated = allocatedBy(() -> assertProblem(bomb, DicomProblem.InflationBudget,
                "the JPEG frame header (SOF0) declares 30000 x 30000 x 1 at 8 bits but the DICOM header declares 64 x 64"));
        assertThat(allocated).isLessThan(64 * MIB);
        assertProblem(HostileDicom.jpegLargerThanDeclared(11, 32, 64).bytes(), DicomProblem.BadPixelAttributes, "declares 32 x 64");
        assertThat(reader.read(HostileDicom.jpegLargerThanDeclared(11, 64, 64).bytes(), "honest").pixels().values()).hasSize(64 * 64);
    }

    @Test
    void dcmtksCompressedFilesPassTheFrameChecks(@TempDir Path tmp) throws Exception {
        Path ct = pydicomFile("CT_small.dcm");
        int[] original = reader.read(ct).pixels().values();
        for (Path p : new Path[] {Tools.transcode(ct, tmp.resolve("rle.dcm"), "dcmcrle"),
                Tools.transcode(ct, tmp.resolve("sv1.dcm"), "dcmcjpeg", "+e1"),
                Tools.transcode(ct, tmp.resolve("jl.dcm"), "dcmcjpeg", "+el")}) {
            assertThat(reader.read(p).pixels().values()).as(p.toString()).containsExactly(original);
        }
        // a JPEG-LS or JPEG 2000 CT is never decoded: its header is read, its frames are not
        assertProblem(Files.readAllBytes(Tools.transcode(ct, tmp.resolve("jls.dcm"), "dcmcjpls")), DicomProblem.UnsupportedTransferSyntax,
                "JPEG-LS Lossless");
        assertThat(reader.readHeader(Files.readAllBytes(pydicomFile("JPEG2000.dcm")), "j2k").transferSyntaxUid())
                .isEqualTo("1.2.840.10008.1.2.4.91");
    }

    @Test
    void theSliceRulesRefuseWhatIsNotAGreyscaleCtSlice(@TempDir Path tmp) throws Exception {
        SliceAdmission admission = SliceAdmission.defaults();
        assertThat(admission.admit(HostileDicom.ct(12, 32, 32).bytes(), "ct").attributes().rows()).isEqualTo(32);
        assertAdmission(admission, HostileDicom.ct(12, 32, 32, "MR").bytes(), DicomProblem.ModalityNotAllowed,
                "Modality \"MR\" is not accepted; this service takes [CT]");
        assertAdmission(admission, Files.readAllBytes(pydicomFile("MR_small.dcm")), DicomProblem.ModalityNotAllowed, "\"MR\"");
        assertAdmission(admission, Files.readAllBytes(pydicomFile("CT_small.dcm")), null, null);
        assertAdmission(admission, HostileDicom.deflatedPixelBomb(12, 64).bytes(), DicomProblem.InflationBudget, "decompression bomb");
        assertAdmission(admission, HostileDicom.nestedSequences(12, 10_000, Nesting.IMPLICIT_SQ, false).bytes(), DicomProblem.TooDeep, "64");

        Path ct = pydicomFile("CT_small.dcm");
        assertAdmission(admission, Files.readAllBytes(Tools.transcode(ct, tmp.resolve("jls.dcm"), "dcmcjpls")),
                DicomProblem.UnsupportedTransferSyntax, "JPEG-LS");
        Path j2k = tmp.resolve("j2k.dcm");
        Tools.run(Tools.PYTHON, "-c", "import sys, pydicom\nds = pydicom.dcmread(sys.argv[1]); ds.Modality = 'CT'; ds.save_as(sys.argv[2])",
                pydicomFile("MR_small_jp2klossless.dcm").toString(), j2k.toString());
        assertAdmission(admission, Files.readAllBytes(j2k), DicomProblem.UnsupportedTransferSyntax, "JPEG 2000 Lossless");
        Path rgb = tmp.resolve("rgb.dcm");
        Tools.run(Tools.PYTHON, "-c", "import sys, pydicom\nds = pydicom.dcmread(sys.argv[1]); ds.Modality = 'CT'; ds.save_as(sys.argv[2])",
                pydicomFile("SC_rgb_small_odd.dcm").toString(), rgb.toString());
        assertAdmission(admission, Files.readAllBytes(rgb), DicomProblem.Colour, "colour image");
        Path frames = Files.copy(ct, tmp.resolve("frames.dcm"));
        Tools.run("dcmodify", "-nb", "-i", "(0028,0008)=2", frames.toString());
        assertAdmission(admission, Files.readAllBytes(frames), DicomProblem.MultiFrame, "2 frames");
        Path bits = Files.copy(ct, tmp.resolve("bits.dcm"));
        Tools.run("dcmodify", "-nb", "-m", "(0028,0100)=12", bits.toString());
        assertAdmission(admission, Files.readAllBytes(bits), DicomProblem.BadPixelAttributes, "BitsAllocated 12");
        Path absurd = Files.copy(ct, tmp.resolve("absurd.dcm"));
        Tools.run("dcmodify", "-nb", "-m", "(0028,0010)=65535", "-m", "(0028,0011)=65535", absurd.toString());
        assertAdmission(admission, Files.readAllBytes(absurd), DicomProblem.TooLarge, "65535 x 65535");
        Path cut = tmp.resolve("short.dcm");
        Tools.run(Tools.PYTHON, "-c", "import sys, pydicom\n"
                + "ds = pydicom.dcmread(sys.argv[1]); ds.PixelData = ds.PixelData[:1000]; ds.save_as(sys.argv[2])", ct.toString(), cut.toString());
        assertAdmission(admission, Files.readAllBytes(cut), DicomProblem.ShortPixelData, "holds 500 values");
    }

    @Test
    void aCallersHeaderCheckRunsBeforeAnyPixelIsDecoded() {
        byte[] rleBomb = HostileDicom.rleLargerThanDeclared(13, 1024).bytes();
        class Refused extends Exception {
            Refused(String m) {
                super(m);
            }
        }
        assertThatThrownBy(() -> SliceAdmission.defaults().admit(rleBomb, "bomb", header -> {
            throw new Refused("seen " + header.sopInstanceUid());
        })).isInstanceOf(Refused.class).hasMessageStartingWith("seen 2.25.");
        assertThat(new SliceAdmission(DicomLimits.DEFAULT, java.util.Set.of("ct", "MR")).modalities()).containsExactlyInAnyOrder("CT", "MR");
    }

    private void assertAdmission(SliceAdmission admission, byte[] bytes, DicomProblem problem, String reason) throws Exception {
        if (problem == null) {
            assertThat(admission.admit(bytes, "ok")).isNotNull();
            return;
        }
        assertThatThrownBy(() -> admission.admit(bytes, "refused")).isInstanceOfSatisfying(DicomReadException.class, e -> {
            assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
            assertThat(e.getMessage()).contains(reason);
        });
    }

    private void assertProblem(byte[] bytes, DicomProblem problem, String reasonFragment) {
        assertThatThrownBy(() -> reader.read(bytes, "hostile")).isInstanceOfSatisfying(DicomReadException.class, e -> {
            assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
            assertThat(e.getMessage()).contains(reasonFragment);
        });
    }

    /** Bytes this thread allocated while running {@code work} (HotSpot counts them per thread). */
    private static long allocatedBy(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static int dataSetOffset(byte[] part10) {
        return 144 + java.nio.ByteBuffer.wrap(part10, 140, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
