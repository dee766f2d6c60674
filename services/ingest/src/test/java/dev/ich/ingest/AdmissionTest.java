package dev.ich.ingest;

import dev.ich.core.phantom.SliceTruth;
import dev.ich.ingest.Fixtures.RsnaIds;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** ich.ingest.accept-rsna-ids decides whether RSNA's ID_<hex> ids pass where DICOM puts UIDs; nothing else changes. */
class AdmissionTest {
    private static final long LIMIT = 4 * 1024 * 1024;

    @Test
    void withRsnaIdsAcceptedTheRealDataSetsIdsBecomeTheKey() {
        RsnaIds ids = RsnaIds.of(951);
        byte[] rsna = Fixtures.rsna(Fixtures.study(951).slices().get(0), ids, ids.sop(0));

        Admission.Verdict verdict = new Admission(LIMIT, Set.of("CT"), true).judge(rsna, "rsna.dcm", ids.study());

        assertThat(verdict.rejected()).isNull();
        assertThat(verdict.admitted().objectKey()).isEqualTo("raw/" + ids.study() + "/" + ids.series() + "/" + ids.sop(0) + ".dcm");
    }

    @Test
    void withRsnaIdsRefusedOnlyDicomUidsPassAndTheReasonNamesTheSetting() {
        RsnaIds ids = RsnaIds.of(952);
        SliceTruth slice = Fixtures.study(952).slices().get(0);
        Admission strict = new Admission(LIMIT, Set.of("CT"), false);

        Admission.Verdict rsna = strict.judge(Fixtures.rsna(slice, ids, ids.sop(0)), "rsna.dcm", null);
        Admission.Verdict dicom = strict.judge(Fixtures.bytes(slice), "phantom.dcm", null);

        assertThat(rsna.admitted()).isNull();
        assertThat(rsna.rejected().code()).isEqualTo(Rejection.InvalidUid);
        assertThat(rsna.rejected().reason()).startsWith("StudyInstanceUID \"" + ids.study() + "\" is an RSNA-style id")
                .contains("ich.ingest.accept-rsna-ids=true");
        assertThat(dicom.rejected()).isNull();
        assertThat(dicom.admitted().objectKey()).endsWith("/" + slice.sopInstanceUid() + ".dcm");
    }
}
