package dev.ich.core.dicom;

import dev.ich.core.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.ich.core.testing.Tools.pydicomFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input gets a typed problem and a reason a person can act on, never a stack trace. */
class DicomProblemsTest {
    private final DicomReader reader = DicomReader.create();

    @Test
    void aTextFileIsNotDicom(@TempDir Path tmp) throws Exception {
        Path notes = Files.writeString(tmp.resolve("notes.dcm"), "patient notes, definitely not an image\n".repeat(10));
        assertProblem(notes, DicomProblem.NotDicom, "not a DICOM file");
        assertThatThrownBy(() -> reader.read(new byte[3], "tiny")).isInstanceOf(DicomReadException.class)
                .extracting(e -> ((DicomReadException) e).problem()).isEqualTo(DicomProblem.NotDicom);
    }

    @Test
    void aFileCutShortIsTruncated(@TempDir Path tmp) throws Exception {
        assertProblem(pydicomFile("MR_truncated.dcm"), DicomProblem.Truncated, "truncated");

        byte[] ct = Files.readAllBytes(pydicomFile("CT_small.dcm"));
        Path cut = Files.write(tmp.resolve("cut.dcm"), java.util.Arrays.copyOf(ct, ct.length - 5000));
        assertProblem(cut, DicomProblem.Truncated, "truncated");
    }

    @Test
    void aDataSetWithoutPixelsSaysSo() {
        assertProblem(pydicomFile("rtplan.dcm"), DicomProblem.NoPixelData, "no pixel data");
        // no preamble, no meta header: read as a bare data set (as pydicom does), which holds no image
        assertProblem(pydicomFile("ExplVR_LitEndNoMeta.dcm"), DicomProblem.NoPixelData, "no pixel data");
        assertProblem(pydicomFile("no_meta_group_length.dcm"), DicomProblem.NoPixelData, "no pixel data");
        // pydicom's no_meta.dcm starts mid-element: pydicom finds one junk element in it, we find none
        assertProblem(pydicomFile("no_meta.dcm"), DicomProblem.NotDicom, "not a DICOM file");
    }

    @Test
    void pixelDataShorterThanRowsTimesColumnsIsReported(@TempDir Path tmp) {
        Path shortened = tmp.resolve("short.dcm");
        Tools.run(Tools.PYTHON, "-c", "import sys, pydicom\n"
                + "ds = pydicom.dcmread(sys.argv[1]); ds.PixelData = ds.PixelData[:1000]; ds.save_as(sys.argv[2])",
                pydicomFile("CT_small.dcm").toString(), shortened.toString());

        assertProblem(shortened, DicomProblem.ShortPixelData, "holds 500 values but Rows x Columns needs 16384");
    }

    @Test
    void colourAndMultiFrameImagesAreRefusedWithTheirReason(@TempDir Path tmp) throws Exception {
        assertProblem(pydicomFile("SC_rgb_jpeg_dcmtk.dcm"), DicomProblem.Colour, "colour image");
        assertProblem(pydicomFile("SC_rgb_rle.dcm"), DicomProblem.Colour, "greyscale CT slices only");

        Path twoFrames = Files.copy(pydicomFile("CT_small.dcm"), tmp.resolve("frames.dcm"));
        Tools.run("dcmodify", "-nb", "-i", "(0028,0008)=2", twoFrames.toString());
        assertProblem(twoFrames, DicomProblem.MultiFrame, "2 frames");
    }

    @Test
    void unsupportedEncodingsNameTheirTransferSyntax(@TempDir Path tmp) {
        assertProblem(pydicomFile("MR_small_jp2klossless.dcm"), DicomProblem.UnsupportedTransferSyntax,
                "JPEG 2000 Lossless (1.2.840.10008.1.2.4.90)");
        assertProblem(pydicomFile("JPEG2000.dcm"), DicomProblem.UnsupportedTransferSyntax, "JPEG 2000 (1.2.840.10008.1.2.4.91)");
        Path jpegLs = Tools.transcode(pydicomFile("CT_small.dcm"), tmp.resolve("jls.dcm"), "dcmcjpls");
        assertProblem(jpegLs, DicomProblem.UnsupportedTransferSyntax, "JPEG-LS Lossless (1.2.840.10008.1.2.4.80)");
        // 12-bit lossy JPEG: PixelMed's JDK reader takes only 8-bit data
        assertProblem(pydicomFile("JPEG-lossy.dcm"), DicomProblem.UnsupportedTransferSyntax, "1.2.840.10008.1.2.4.51");
    }

    @Test
    void limitsStopHugeImagesBeforeDecoding() {
        DicomReader strict = DicomReader.create(new DicomLimits(100 * 100, 10_000_000));
        assertThatThrownBy(() -> strict.read(pydicomFile("CT_small.dcm")))
                .isInstanceOfSatisfying(DicomReadException.class, e -> {
                    assertThat(e.problem()).isEqualTo(DicomProblem.TooLarge);
                    assertThat(e.getMessage()).contains("128 x 128").contains("10000 pixels");
                });
        DicomReader small = DicomReader.create(new DicomLimits(1 << 20, 1000));
        assertThatThrownBy(() -> small.read(pydicomFile("CT_small.dcm"))).hasMessageContaining("exceeds the limit of 1000 bytes");
    }

    @Test
    void oneBadFileNeverStopsABatch() throws Exception {
        String[] batch = {"CT_small.dcm", "MR_truncated.dcm", "rtplan.dcm", "MR_small.dcm", "JPEG2000.dcm"};
        int read = 0, failed = 0;
        for (String name : batch) {
            try {
                reader.read(pydicomFile(name));
                read++;
            } catch (DicomReadException e) {
                failed++;
            }
        }
        assertThat(read).isEqualTo(2);
        assertThat(failed).isEqualTo(3);
    }

    private void assertProblem(Path file, DicomProblem problem, String reasonFragment) {
        assertThatThrownBy(() -> reader.read(file))
                .as(file.getFileName().toString())
                .isInstanceOfSatisfying(DicomReadException.class, e -> {
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.getMessage()).contains(reasonFragment);
                });
    }
}
