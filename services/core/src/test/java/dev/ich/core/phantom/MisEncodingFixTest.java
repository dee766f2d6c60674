package dev.ich.core.phantom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The notebooks' pixel fix (cleaning step 2) must exactly undo how mis-encoded 12-bit phantoms are stored. */
class MisEncodingFixTest {

    /** Cleaning step 2, written out as the notebooks state it. */
    private static int seedFix(int stored) {
        int v = stored + 1000;
        if (v >= 4096) v -= 4096;
        return v - 1000; // new intercept -1000, slope 1
    }

    @Test
    void theFixRestoresEveryHounsfieldValueFromAirToDenseBone() {
        for (int hu = -1000; hu <= 3095; hu++) {
            int stored = Source.MIS_ENCODED_12.store(hu) & 0xFFFF;
            assertThat(stored).as("12 bits for HU %d", hu).isBetween(0, 4095);
            assertThat(seedFix(stored)).as("HU %d", hu).isEqualTo(hu);
        }
    }

    @Test
    void valuesBeyondWhatTwelveBitsCanCarryAreClampedNotWrapped() {
        assertThat(seedFix(Source.MIS_ENCODED_12.store(-1500) & 0xFFFF)).isEqualTo(-1000);
        assertThat(seedFix(Source.MIS_ENCODED_12.store(Source.OUTSIDE_FOV_HU) & 0xFFFF)).isEqualTo(-1000);
        assertThat(seedFix(Source.MIS_ENCODED_12.store(5000) & 0xFFFF)).isEqualTo(3095);
    }

    @Test
    void aMisEncodedFileOnDiskIsRestoredByTheFixToTheRenderedHu() throws Exception {
        PhantomSet set = SmallPhantomSet.get();
        SliceTruth slice = set.slices().stream()
                .filter(s -> s.has(Quirk.MIS_ENCODED_12_BIT) && s.brainWindowFraction() > 0.1).findFirst().orElseThrow();
        AttributeList list = new AttributeList();
        list.read(slice.file().toString());
        assertThat(list.get(TagFromName.PixelRepresentation).getSingleIntegerValueOrDefault(-1)).isZero();
        assertThat(list.get(TagFromName.RescaleIntercept).getSingleDoubleValueOrDefault(-1)).isGreaterThanOrEqualTo(-100);
        short[] stored = list.get(TagFromName.PixelData).getShortValues();

        short[] hu = new PhantomGenerator(SmallPhantomSet.OPTIONS).render(slice.studyIndex(), slice.sliceIndex()).hu();
        for (int i = 0; i < hu.length; i += 97) {
            assertThat(seedFix(stored[i] & 0xFFFF)).as("pixel %d", i).isEqualTo(Math.max(-1000, Math.min(3095, hu[i])));
        }
    }
}
