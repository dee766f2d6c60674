package dev.ich.core.phantom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import dev.ich.core.label.Label;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Given a small phantom set written to disk, its files, labels and quirks are what the truth says. */
class PhantomFilesTest {
    private final PhantomSet set = SmallPhantomSet.get();

    @Test
    void eachStudyHasItsFolderAndEachSliceItsFile() {
        assertThat(set.studies()).isEqualTo(6);
        assertThat(set.slices()).hasSize(6 * 8);
        for (SliceTruth s : set.slices()) {
            assertThat(s.file()).exists().hasFileName(s.sopInstanceUid() + ".dcm");
            assertThat(s.file().getParent().getFileName().toString()).isEqualTo(String.format("study-%03d", s.studyIndex()));
        }
    }

    @Test
    void labelsCsvHasSixRowsPerSliceInRsnaOrderKeyedBySopInstanceUid() throws Exception {
        List<String> lines = Files.readAllLines(set.labelsCsv());
        assertThat(lines.get(0)).isEqualTo("ID,Label");
        assertThat(lines).hasSize(1 + 6 * set.slices().size());
        List<String> expected = new ArrayList<>();
        for (SliceTruth s : set.slices()) {
            for (Label l : Label.values()) expected.add("ID_" + s.sopInstanceUid() + "_" + l.csvName() + "," + (s.has(l) ? 1 : 0));
        }
        assertThat(lines.subList(1, lines.size())).containsExactlyElementsOf(expected);
    }

    @Test
    void everyQuirkOfTheRealDataSetOccursAndTheShortFileIsUnique() {
        Set<Quirk> seen = set.slices().stream().flatMap(s -> s.quirks().stream()).collect(Collectors.toCollection(() -> EnumSet.noneOf(Quirk.class)));
        assertThat(seen).containsExactlyInAnyOrder(Quirk.values());
        assertThat(set.slices().stream().filter(s -> s.has(Quirk.SHORT_PIXEL_DATA))).hasSize(1);
    }

    @Test
    void headersCarryEachQuirkAsTheRealDataDoes() throws Exception {
        for (SliceTruth s : set.slices()) {
            AttributeList list = new AttributeList();
            list.read(s.file().toString());
            int bits = list.get(TagFromName.BitsStored).getSingleIntegerValueOrDefault(0);
            assertThat(bits).isEqualTo(s.has(Quirk.BITS_STORED_12) ? 12 : 16);
            assertThat(list.get(TagFromName.HighBit).getSingleIntegerValueOrDefault(0)).isEqualTo(bits - 1);
            assertThat(list.get(TagFromName.PixelRepresentation).getSingleIntegerValueOrDefault(-1)).isEqualTo(s.has(Quirk.SIGNED_PIXELS) ? 1 : 0);
            double intercept = list.get(TagFromName.RescaleIntercept).getSingleDoubleValueOrDefault(1);
            assertThat(intercept).isEqualTo(s.has(Quirk.MIS_ENCODED_12_BIT) ? 0 : s.has(Quirk.INTERCEPT_1000) ? -1000 : -1024);
            assertThat(list.get(TagFromName.WindowCenter).getVM()).isEqualTo(s.has(Quirk.MULTI_VALUED_WINDOW) ? 2 : 1);
            assertThat(list.get(TagFromName.StudyID).getVM()).as("StudyID present but empty").isZero();
            assertThat(list.get(TagFromName.Rows).getSingleIntegerValueOrDefault(0)).isEqualTo(s.rows());
            assertThat(s.rows() != 512).isEqualTo(s.has(Quirk.ODD_SIZE));
            assertThat(list.get(TagFromName.SOPInstanceUID).getSingleStringValueOrEmptyString()).isEqualTo(s.sopInstanceUid());
            assertThat(list.get(TagFromName.PatientID).getSingleStringValueOrEmptyString()).isEqualTo(s.patientId());
            int pixelBytes = list.get(TagFromName.PixelData).getShortValues().length * 2;
            if (s.has(Quirk.SHORT_PIXEL_DATA)) assertThat(pixelBytes).isLessThan(s.rows() * s.columns() * 2);
            else assertThat(pixelBytes).isEqualTo(s.rows() * s.columns() * 2);
        }
    }

    @Test
    void slicesGoDownwardFiveMillimetresApartAndMultiValuedWindowsKeepTheirSpelling() throws Exception {
        SliceTruth a = set.slices().get(0), b = set.slices().get(1);
        double[] za = position(a), zb = position(b);
        assertThat(zb[2] - za[2]).isCloseTo(-SmallPhantomSet.OPTIONS.sliceSpacingMm(), org.assertj.core.data.Offset.offset(1e-3));
        SliceTruth misEncoded = set.slices().stream().filter(s -> s.has(Quirk.MIS_ENCODED_12_BIT)).findFirst().orElseThrow();
        AttributeList list = new AttributeList();
        list.read(misEncoded.file().toString());
        assertThat(list.get(TagFromName.WindowCenter).getStringValues()).containsExactly("00036", "00036");
    }

    @Test
    void identifiersAreValidUidsAndOnePatientPerStudy() {
        for (SliceTruth s : set.slices()) {
            for (String uid : List.of(s.sopInstanceUid(), s.studyInstanceUid(), s.seriesInstanceUid())) {
                assertThat(uid).hasSizeLessThanOrEqualTo(64).matches("([1-9][0-9]*|0)(\\.([1-9][0-9]*|0))+");
            }
            assertThat(s.patientId()).matches("ID_[0-9a-f]{10}");
            assertThat(s.sliceId()).isEqualTo("ID_" + s.sopInstanceUid());
        }
        assertThat(set.slices().stream().map(SliceTruth::patientId).distinct()).hasSize(6);
        assertThat(set.slices().stream().map(SliceTruth::sopInstanceUid).distinct()).hasSize(set.slices().size());
    }

    private static double[] position(SliceTruth s) throws Exception {
        AttributeList list = new AttributeList();
        list.read(s.file().toString());
        return Arrays.stream(list.get(TagFromName.ImagePositionPatient).getDoubleValues()).toArray();
    }
}
