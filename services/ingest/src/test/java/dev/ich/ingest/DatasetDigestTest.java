package dev.ich.ingest;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** One pass over an instance gives the very digests two separate passes give: of the bytes, and of the data set alone. */
class DatasetDigestTest {

    @Test
    void bothDigestsInOnePassEqualTheTwoPassesWhereverTheDataSetStarts() {
        byte[] phantom = Fixtures.bytes(Fixtures.study(2001).slices().get(0));
        byte[] noMeta = Fixtures.pydicom("ExplVR_LitEndNoMeta.dcm");
        byte[] ct = Fixtures.pydicom("CT_small.dcm");
        for (byte[] b : new byte[][] {phantom, noMeta, ct, Arrays.copyOf(ct, 32 * 1024 + 7), new byte[0]}) {
            DatasetDigest.Both both = DatasetDigest.both(b);
            assertThat(both.sha256()).isEqualTo(Ingestor.sha256(b));
            assertThat(both.dataset()).isEqualTo(DatasetDigest.of(b));
        }
        assertThat(DatasetDigest.dataSetOffset(phantom)).as("the phantom has a meta header to skip").isPositive();
        assertThat(DatasetDigest.dataSetOffset(noMeta)).isZero();
    }

    /** The data set may start anywhere in a chunk, also past the first one (a meta header of 40 KB). */
    @Test
    void aDataSetStartingInTheSecondChunkIsDigestedFromThere() {
        byte[] ct = Fixtures.pydicom("CT_small.dcm");
        byte[] b = new byte[144 + 40_000 + ct.length];
        b[128] = 'D';
        b[129] = 'I';
        b[130] = 'C';
        b[131] = 'M';
        b[132] = 0x02;
        b[136] = 'U';
        b[137] = 'L';
        b[138] = 4;
        b[140] = (byte) (40_000 & 0xff);
        b[141] = (byte) (40_000 >> 8);
        System.arraycopy(ct, 0, b, 144 + 40_000, ct.length);

        assertThat(DatasetDigest.dataSetOffset(b)).isEqualTo(144 + 40_000);
        assertThat(DatasetDigest.both(b).dataset()).isEqualTo(Ingestor.sha256(ct)).isEqualTo(DatasetDigest.of(b));
        assertThat(DatasetDigest.both(b).sha256()).isEqualTo(Ingestor.sha256(b));
    }
}
