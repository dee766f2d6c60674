package dev.ich.cleaning;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dicom-ingested contract as cleaning reads it: tolerant of additions, clear about garbage. */
class IngestedEventParsingTest {
    private static final String EVENT = """
            {"sopInstanceUid":"1.2.3.4","studyInstanceUid":"1.2.3","seriesInstanceUid":"1.2.3.5","patientKey":"p",
             "objectKey":"raw/1.2.3/1.2.3.5/1.2.3.4.dcm","sha256":"ab","size":10,"transferSyntaxUid":"1.2.840.10008.1.2.1",
             "source":"stow","receivedAt":"2026-01-01T00:00:00Z"%s}""";

    @Test
    void aFieldAddedByIngestLaterDoesNotMakeTheEventPoison() {
        var event = IngestedProcessor.parse(EVENT.formatted(",\"deidentified\":true"));
        assertThat(RawSlice.of(event)).isEqualTo(new RawSlice("raw/1.2.3/1.2.3.5/1.2.3.4.dcm", "1.2.3", "1.2.3.5", "1.2.3.4"));
    }

    @Test
    void garbageIsRefusedWithAReasonForTheDeadLetterHeader() {
        assertThatThrownBy(() -> IngestedProcessor.parse("{nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a dicom-ingested event");
        String withoutKey = EVENT.formatted("").replace("\"objectKey\":\"raw/1.2.3/1.2.3.5/1.2.3.4.dcm\",", "");
        assertThatThrownBy(() -> RawSlice.of(IngestedProcessor.parse(withoutKey))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("objectKey");
    }

    @Test
    void rawKeysAreParsedOnlyWhenCanonical() {
        assertThat(RawSlice.ofKey("raw/1.2/1.3/1.4.dcm").sopInstanceUid()).isEqualTo("1.4");
        assertThatThrownBy(() -> RawSlice.ofKey("raw/1.2/../1.4.dcm")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RawSlice.ofKey("raw/manifest.json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRsnaDataSetsIdsAreRawKeysTooAndNothingLooser() {
        // the real stage_2_train files carry ID_<hex> where DICOM puts UIDs; ingest stores them so
        assertThat(RawSlice.ofKey("raw/ID_1e4b0b9b64/ID_04aab1f7cb/ID_000012eaf.dcm"))
                .isEqualTo(new RawSlice("raw/ID_1e4b0b9b64/ID_04aab1f7cb/ID_000012eaf.dcm", "ID_1e4b0b9b64", "ID_04aab1f7cb", "ID_000012eaf"));
        assertThatThrownBy(() -> RawSlice.ofKey("raw/ID_1e4b0b9b64/ID_04aab1f7cb/ID_xyz!.dcm")).isInstanceOf(IllegalArgumentException.class);
    }
}
