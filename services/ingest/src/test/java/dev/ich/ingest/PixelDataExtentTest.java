package dev.ich.ingest;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class PixelDataExtentTest {

    @Test
    void aWholeSliceMissesNothing_aCutOneMissesExactlyWhatWasCut() {
        byte[] slice = Fixtures.bytes(Fixtures.study(501).slices().get(1));

        assertThat(PixelDataExtent.missingBytes(slice)).isZero();
        assertThat(PixelDataExtent.missingBytes(Arrays.copyOf(slice, slice.length - 1000))).isEqualTo(1000);
        assertThat(PixelDataExtent.missingBytes(Fixtures.pydicom("CT_small.dcm"))).isZero();
        assertThat(PixelDataExtent.missingBytes(Fixtures.pydicom("MR_small_implicit.dcm"))).isZero();
        assertThat(PixelDataExtent.missingBytes(Fixtures.pydicom("MR_truncated.dcm"))).isPositive();
    }
}
