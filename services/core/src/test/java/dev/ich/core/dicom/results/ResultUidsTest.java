package dev.ich.core.dicom.results;

import dev.ich.core.contract.Uids;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The derivation is part of the contract with every PACS we exported to: it must never drift. */
class ResultUidsTest {
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.20260117.1.1";

    @Test
    void theDerivationGivesTheSameUidsItGaveWhenItWasWritten() {
        // Pinned: a change here would give a re-export new UIDs, and the PACS a second copy of every result.
        assertThat(ResultUids.srInstance(STUDY, "ich-resnet18-any", "3", "0123456789abcdef"))
                .isEqualTo(ResultUids.derive("sr-instance", STUDY, "ich-resnet18-any", "3", "0123456789abcdef"))
                .isEqualTo(PINNED_SR_INSTANCE);
    }

    @Test
    void everyResultUidIsAValid2_25UidAndEachKindAndLabelHasItsOwn() {
        List<String> uids = List.of(ResultUids.srSeries(STUDY, "m", "1"), ResultUids.srInstance(STUDY, "m", "1", "f"),
                ResultUids.captureSeries(STUDY, "m", "1"), ResultUids.captureInstance(STUDY, "m", "1", "1.2.3", "any"),
                ResultUids.captureInstance(STUDY, "m", "1", "1.2.3", "subdural"),
                ResultUids.captureInstance(STUDY, "m", "1", "1.2.4", "any"), ResultUids.finding(STUDY, "m", "1", "any"),
                ResultUids.device("m", "1"), ResultUids.srInstance(STUDY, "m", "2", "f"), ResultUids.srInstance(STUDY + "1", "m", "1", "f"), ResultUids.srInstance(STUDY, "m", "1", "g"));
        for (String uid : uids) {
            assertThat(uid).startsWith("2.25.").hasSizeLessThanOrEqualTo(64);
            assertThat(Uids.isDicomUid(uid)).as(uid).isTrue();
        }
        assertThat(new HashSet<>(uids)).hasSameSizeAs(uids);
    }

    @Test
    void partsCannotRunIntoEachOther() {
        // "m|1" + "2" and "m" + "1|2" must not be the same name
        Set<String> uids = Set.of(ResultUids.srInstance(STUDY, "ab", "c", "f"), ResultUids.srInstance(STUDY, "a", "bc", "f"));
        assertThat(uids).hasSize(2);
        assertThatThrownBy(() -> ResultUids.srInstance(STUDY, "", "1", "f")).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Computed independently of our code, by Python's RFC 4122 implementation:
     * {@code "2.25.%d" % uuid.uuid5(UUID("6c1f0b9e-3a52-4d4e-9a6b-2f1d0c7e5b83"),
     * "ich-result/sr-instance/40:" + STUDY + "/16:ich-resnet18-any/1:3").int}.
     */
    private static final String PINNED_SR_INSTANCE = "2.25.81038039323884735453214741455868512208";
}
