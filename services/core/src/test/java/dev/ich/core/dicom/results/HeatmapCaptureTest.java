package dev.ich.core.dicom.results;

import dev.ich.core.event.StudyPredicted.KeySlice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static dev.ich.core.dicom.results.ResultFixture.EQUIPMENT;
import static dev.ich.core.dicom.results.ResultFixture.PREDICTED_AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Given a key slice and its heatmap, when the capture is written, then it is a valid RGB SC that points at the slice. */
class HeatmapCaptureTest {
    private final KeySlice subdural = ResultFixture.key(2, "subdural", 0.88);

    @Test
    void dciodvfyFindsNeitherErrorNorWarningInTheCapture(@TempDir Path dir) throws Exception {
        ResultObject capture = HeatmapCapture.write(ResultFixture.study(), subdural, ResultFixture.overlay(2), EQUIPMENT, 1, PREDICTED_AT);

        DicomTools.Output verdict = DicomTools.dciodvfy(TriageSrTest.write(dir, capture));

        assertThat(verdict.lines()).as(verdict.text()).contains("SCImage");
        assertThat(verdict.errors()).as(verdict.text()).isEmpty();
        assertThat(verdict.warnings()).as(verdict.text()).isEmpty();
    }

    @Test
    void pydicomDecodesExactlyTheOverlaysPixels(@TempDir Path dir) throws Exception {
        BufferedImage overlay = ResultFixture.overlay(2);
        Path file = TriageSrTest.write(dir, HeatmapCapture.write(ResultFixture.study(), subdural, overlay, EQUIPMENT, 1));

        DicomTools.Output py = DicomTools.pydicom(String.join("\n",
                "import sys, hashlib, pydicom",
                "d = pydicom.dcmread(sys.argv[1])",
                "a = d.pixel_array",
                "print(d.PhotometricInterpretation, d.PlanarConfiguration, a.shape, a.dtype, hashlib.sha256(a.tobytes()).hexdigest())"), file);

        assertThat(py.exit()).as(py.text()).isZero();
        assertThat(py.text().strip()).isEqualTo("RGB 0 (128, 128, 3) uint8 " + sha256(rgb(overlay)));
        DicomTools.Output dump = DicomTools.dcmdump(file);
        assertThat(dump.exit()).as(dump.text()).isZero();
        assertThat(dump.lines()).noneMatch(l -> l.startsWith("E:"));
    }

    @Test
    void pixelMedReadsBackWhatTheCaptureShowsAndWhereItCameFrom() throws Exception {
        ResultObject capture = HeatmapCapture.write(ResultFixture.study(), subdural, ResultFixture.overlay(2), EQUIPMENT, 2, PREDICTED_AT);

        ReadBack sc = new ReadBack(capture.part10());
        assertThat(sc.text("SOPClassUID")).isEqualTo("1.2.840.10008.5.1.4.1.1.7").isEqualTo(capture.sopClassUid());
        assertThat(sc.text("Modality")).isEqualTo("OT").isEqualTo(capture.modality());
        assertThat(sc.text("StudyInstanceUID")).isEqualTo(ResultFixture.slice(0).studyInstanceUid());
        assertThat(sc.text("SeriesInstanceUID")).isEqualTo(capture.seriesInstanceUid());
        assertThat(sc.text("InstanceNumber")).isEqualTo("2");
        assertThat(sc.text("PhotometricInterpretation")).isEqualTo("RGB");
        assertThat(sc.text("SamplesPerPixel")).isEqualTo("3");
        assertThat(sc.text("BitsAllocated")).isEqualTo("8");
        assertThat(sc.text("PlanarConfiguration")).isEqualTo("0");
        assertThat(sc.text("ConversionType")).isEqualTo("WSD");
        assertThat(sc.text("BurnedInAnnotation")).isEqualTo("NO");
        assertThat(sc.text("ImageType")).isEqualTo("DERIVED\\SECONDARY");
        assertThat(sc.text("ImageComments")).contains("subdural", "0.88");
        assertThat(sc.text("DerivationDescription")).contains("Grad-CAM", "ich-resnet18-any v3");
        assertThat(sc.inFirstItem("SourceImageSequence", "ReferencedSOPInstanceUID")).isEqualTo(subdural.sopInstanceUid());
        assertThat(sc.inFirstItem("SourceImageSequence", "ReferencedSOPClassUID")).isEqualTo(ResultFixture.CT);
        assertThat(sc.inFirstItem("ContributingEquipmentSequence", "SoftwareVersions")).isEqualTo("3");
        assertThat(sc.inFirstItem("ContributingEquipmentSequence", "ManufacturerModelName")).isEqualTo("ich-resnet18-any");
        assertThat(sc.text("PatientName")).isEqualTo("Müller^Jürgen");
        assertThat(sc.text("ContentDate")).isEqualTo("20260117");
    }

    @Test
    void capturesOfOneTriageShareASeriesAndTheSameInputsGiveTheSameBytes() throws Exception {
        SourceStudy study = ResultFixture.study();
        BufferedImage overlay = ResultFixture.overlay(2);
        ResultObject subduralCapture = HeatmapCapture.write(study, subdural, overlay, EQUIPMENT, 1);
        ResultObject anyCapture = HeatmapCapture.write(study, ResultFixture.key(2, "any", 0.9731), overlay, EQUIPMENT, 2);

        assertThat(HeatmapCapture.write(study, subdural, ResultFixture.overlay(2), EQUIPMENT, 1).part10())
                .isEqualTo(subduralCapture.part10());
        assertThat(HeatmapCapture.write(study, subdural, overlay, EQUIPMENT, 1, PREDICTED_AT).part10())
                .isEqualTo(HeatmapCapture.write(study, subdural, overlay, EQUIPMENT, 1, PREDICTED_AT).part10());
        // one slice, two labels: two captures in one series, neither in the SR's series
        assertThat(anyCapture.seriesInstanceUid()).isEqualTo(subduralCapture.seriesInstanceUid());
        assertThat(anyCapture.sopInstanceUid()).isNotEqualTo(subduralCapture.sopInstanceUid());
        assertThat(subduralCapture.seriesInstanceUid())
                .isNotEqualTo(TriageSr.write(study, ResultFixture.prediction(), EQUIPMENT).seriesInstanceUid());
    }

    @Test
    void anEmptyOverlayAKeySliceWithoutUidsOrAnUnknownLabelIsRefused() throws Exception {
        SourceStudy study = ResultFixture.study();
        BufferedImage overlay = ResultFixture.overlay(2);

        assertThatThrownBy(() -> HeatmapCapture.write(study, subdural, null, EQUIPMENT, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlay is empty");
        assertThatThrownBy(() -> HeatmapCapture.write(study, new KeySlice(null, "1.2", ResultFixture.CT, "any", 0.9), overlay, EQUIPMENT, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SOP Instance UID");
        assertThatThrownBy(() -> HeatmapCapture.write(study, ResultFixture.key(2, "bleed", 0.9), overlay, EQUIPMENT, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"bleed\"");
        assertThatThrownBy(() -> HeatmapCapture.write(study, subdural, overlay, EQUIPMENT, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 1");
    }

    static byte[] rgb(BufferedImage image) {
        byte[] out = new byte[image.getWidth() * image.getHeight() * 3];
        int o = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                out[o++] = (byte) (p >> 16);
                out[o++] = (byte) (p >> 8);
                out[o++] = (byte) p;
            }
        }
        return out;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

}
