package dev.ich.ingest;

import dev.ich.ingest.StoreOutcome.Rejected;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The C-STORE status of each outcome and the Error Comment made from a reason (LO: 64 characters). */
class CStoreStatusTest {
    private static final String SOP = "1.2.826.0.1.3680043.10.1137.402.2.1.2";

    @Test
    void everyRejectionIsAFailureStatusOfItsFamily() {
        for (Rejection r : Rejection.values()) {
            int status = CStoreStatus.of(Rejected.of(r, "why"));
            assertThat(status).as(r.name()).isNotZero().isNotEqualTo(0xFF00).isNotEqualTo(0xFE00);
            assertThat(status & 0xF000).as(r.name()).isNotEqualTo(0xB000); // a warning would count as stored
        }
        assertThat(Rejection.StorageFailed.dimseStatus()).isEqualTo(0xA700);
        assertThat(Rejection.InvalidUid.dimseStatus()).isEqualTo(0xA900);
        assertThat(Rejection.Truncated.dimseStatus()).isEqualTo(0xC000);
        assertThat(Rejection.ModalityNotAllowed.dimseStatus()).isEqualTo(0x0124);
    }

    @Test
    void storedAndDuplicateAreSuccess() {
        assertThat(CStoreStatus.of(new StoreOutcome.Duplicate("1.2.840.10008.5.1.4.1.1.2", SOP, "raw/x", "ab"))).isZero();
    }

    @Test
    void aShortReasonIsKeptAsItIs() {
        String reason = "Modality \"MR\" is not accepted; this service takes [CT]";

        assertThat(CStoreStatus.errorComment(reason, SOP)).isEqualTo(reason);
    }

    @Test
    void aLongReasonLosesTheUidThenItsDetailsThenIsCutAtAWord() {
        String reason = "SOP Instance UID " + SOP + " is already stored with different content (sha256 "
                + "a".repeat(64) + ", this one " + "b".repeat(64) + "); a changed instance needs a new UID";

        String comment = CStoreStatus.errorComment(reason, SOP);

        assertThat(comment).hasSizeLessThanOrEqualTo(64).startsWith("SOP Instance UID is already stored with different")
                .endsWith("...").doesNotContain("sha256").doesNotContain(SOP);
    }

    @Test
    void parenthesisedDetailsGoWhenThatIsEnough() {
        String reason = "object storage failed, nothing was stored; send again later (Connection refused: localhost/127.0.0.1:9000)";

        assertThat(CStoreStatus.errorComment(reason, SOP)).isEqualTo("object storage failed, nothing was stored; send again later");
    }

    @Test
    void backslashesAndCharactersOutsideTheDefaultRepertoireAreReplaced() {
        String comment = CStoreStatus.errorComment("bad\\value\tin Größe", null);

        assertThat(comment).matches("[\\x20-\\x7e]*").doesNotContain("\\");
    }
}
