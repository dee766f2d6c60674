package dev.ich.core.dicom;

import dev.ich.core.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.ich.core.testing.Tools.pydicomFile;
import static org.assertj.core.api.Assertions.assertThat;

class DicomReaderTest {
    private final DicomReader reader = DicomReader.create();

    @Test
    void aRealCtSliceBecomesARowPixelAttributesAndTheSameValuesPydicomDecodes() throws Exception {
        Path ct = pydicomFile("CT_small.dcm");

        DicomSlice slice = reader.read(ct);

        PixelAttributes a = slice.attributes();
        assertThat(a.rows()).isEqualTo(128);
        assertThat(a.columns()).isEqualTo(128);
        assertThat(a.bitsAllocated()).isEqualTo(16);
        assertThat(a.bitsStored()).isEqualTo(16);
        assertThat(a.pixelRepresentation()).isEqualTo(1);
        assertThat(a.rescaleSlope()).isEqualTo(1.0);
        assertThat(a.rescaleIntercept()).isEqualTo(-1024.0);
        assertThat(a.photometricInterpretation()).isEqualTo("MONOCHROME2");
        assertThat(slice.pixels().values()).containsExactly(Tools.pydicomPixels(ct));
        assertThat(slice.pixels().toArray2D()[5][7]).isEqualTo(slice.pixels().at(5, 7));
        assertThat(slice.header().transferSyntaxUid()).isEqualTo(TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void theRowFollowsTheSeedsDataFrameRules() throws Exception {
        DicomHeader header = reader.read(pydicomFile("CT_small.dcm")).header();

        assertThat(header.row())
                // numbers are numbers: IS/US as whole numbers, DS as decimals
                .containsEntry("Rows", 128L)
                .containsEntry("RescaleIntercept", -1024.0)
                // multi-valued K becomes K (first value), K1, K2 and MultiK = 1
                .containsEntry("ImageType", "ORIGINAL")
                .containsEntry("ImageType1", "PRIMARY")
                .containsEntry("ImageType2", "AXIAL")
                .containsEntry("MultiImageType", 1)
                .containsEntry("PixelSpacing", 0.661468)
                .containsEntry("PixelSpacing1", 0.661468)
                .containsEntry("fname", pydicomFile("CT_small.dcm").toString())
                .doesNotContainKeys("PixelData", "TransferSyntaxUID", "MultiRows");
        assertThat(header.sopInstanceUid()).isEqualTo("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322");
        assertThat(header.modality()).isEqualTo("CT");
    }

    @Test
    void theHeaderAloneIsReadWithoutDecodingPixels() throws Exception {
        byte[] bytes = Files.readAllBytes(pydicomFile("CT_small.dcm"));

        DicomHeader header = reader.readHeader(bytes, "upload");

        assertThat(header.studyInstanceUid()).isEqualTo("1.3.6.1.4.1.5962.1.2.1.20040119072730.12322");
        assertThat(header.seriesInstanceUid()).isNotBlank();
        assertThat(header.transferSyntaxUid()).isEqualTo(TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(header.row()).containsEntry("fname", "upload").containsKey("PatientID");
    }

    @Test
    void pydicomsEncodingsOfOneMrImageDecodeToIdenticalValues() throws Exception {
        int[] reference = reader.read(pydicomFile("MR_small.dcm")).pixels().values();
        assertThat(reference).containsExactly(Tools.pydicomPixels(pydicomFile("MR_small.dcm")));

        for (String variant : new String[] {"MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm",
                "MR_small_RLE.dcm", "MR_small_padded.dcm"}) {
            assertThat(reader.read(pydicomFile(variant)).pixels().values()).as(variant).containsExactly(reference);
        }
    }

    @Test
    void aDeflatedFileDecodesLikePydicomDoes() throws Exception {
        Path deflated = pydicomFile("image_dfl.dcm");

        DicomSlice slice = reader.read(deflated);

        assertThat(slice.header().transferSyntaxUid()).isEqualTo(TransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(slice.attributes().bitsAllocated()).isEqualTo(8);
        assertThat(slice.pixels().values()).containsExactly(Tools.pydicomPixels(deflated));
    }

    @Test
    void everyTransferSyntaxDcmtkWritesDecodesToTheOriginalStoredValues(@TempDir Path tmp) throws Exception {
        Path ct = pydicomFile("CT_small.dcm");
        int[] original = reader.read(ct).pixels().values();

        Path[] variants = {
                Tools.transcode(ct, tmp.resolve("implicit.dcm"), "dcmconv", "+ti"),
                Tools.transcode(ct, tmp.resolve("bigendian.dcm"), "dcmconv", "+tb"),
                Tools.transcode(ct, tmp.resolve("deflated.dcm"), "dcmconv", "+td"),
                Tools.transcode(ct, tmp.resolve("rle.dcm"), "dcmcrle"),
                Tools.transcode(ct, tmp.resolve("jpeg-lossless-sv1.dcm"), "dcmcjpeg", "+e1"),
                Tools.transcode(ct, tmp.resolve("jpeg-lossless.dcm"), "dcmcjpeg", "+el"),
        };
        String[] expectedSyntax = {TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntaxes.EXPLICIT_VR_BIG_ENDIAN,
                TransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntaxes.RLE_LOSSLESS,
                TransferSyntaxes.JPEG_LOSSLESS_SV1, TransferSyntaxes.JPEG_LOSSLESS};

        for (int i = 0; i < variants.length; i++) {
            DicomSlice slice = reader.read(variants[i]);
            assertThat(slice.header().transferSyntaxUid()).as(variants[i].toString()).isEqualTo(expectedSyntax[i]);
            assertThat(slice.pixels().values()).as(variants[i].toString()).containsExactly(original);
        }
    }

    @Test
    void lossyJpegOfAn8BitImageDecodesCloseToWhatPydicomDecodes(@TempDir Path tmp) throws Exception {
        // JPEG baseline is lossy and decoders differ in their inverse DCT: compare within a grey level
        Path jpeg = Tools.transcode(pydicomFile("image_dfl.dcm"), tmp.resolve("baseline.dcm"), "dcmcjpeg", "+eb");

        DicomSlice slice = reader.read(jpeg);

        assertThat(slice.header().transferSyntaxUid()).isEqualTo(TransferSyntaxes.JPEG_BASELINE);
        int[] mine = slice.pixels().values();
        int[] theirs = Tools.pydicomPixels(jpeg);
        assertThat(mine).hasSameSizeAs(theirs);
        double diff = 0;
        for (int i = 0; i < mine.length; i++) diff += Math.abs(mine[i] - theirs[i]);
        assertThat(diff / mine.length).isLessThan(1.0);
    }
}
