package dev.ich.core.contract;

import dev.ich.core.clean.PipelineConfig;
import dev.ich.core.event.DicomIngested;
import dev.ich.core.event.Events;
import dev.ich.core.event.IngestSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectKeysTest {

    @Test
    void keysFollowTheDesignLayout() {
        assertThat(ObjectKeys.raw("1.2.3", "1.2.3.4", "1.2.3.4.5")).isEqualTo("raw/1.2.3/1.2.3.4/1.2.3.4.5.dcm");
        var version = PipelineConfig.defaults().version();
        assertThat(ObjectKeys.clean(version, "1.2.3.4.5")).isEqualTo("clean/" + version.id() + "/1.2.3.4.5.png");
        assertThat(ObjectKeys.pipeline(version)).isEqualTo("clean/" + version.id() + "/pipeline.json");
    }

    @Test
    void operationCheckpointsLiveTogetherOutsideEveryServicesData() {
        for (String kind : new String[] {ObjectKeys.OPERATIONS_IMPORTS, ObjectKeys.OPERATIONS_REPROCESS,
                ObjectKeys.OPERATIONS_DATASET_BUILDS, ObjectKeys.OPERATIONS_EXPERIMENTS}) {
            assertThat(kind).startsWith(ObjectKeys.OPERATIONS_PREFIX).endsWith("/");
            assertThat(kind).doesNotStartWith(ObjectKeys.RAW_PREFIX).doesNotStartWith(ObjectKeys.DATASETS_PREFIX);
        }
    }

    @Test
    void indexRecordKeysSortAsTheTimeTheyWereWritten() {
        Instant earlier = Instant.parse("2026-12-01T09:59:59.999Z");
        Instant later = Instant.parse("2026-12-01T10:00:00.000Z");
        String a = ObjectKeys.ingestIndex(earlier, "1.2.3.4.5");
        String b = ObjectKeys.ingestIndex(later, "1.2.3");
        assertThat(a).isEqualTo("ingest/index/20261201T095959.999Z/1.2.3.4.5.json").startsWith(ObjectKeys.INGEST_INDEX_PREFIX);
        assertThat(a).isLessThan(b);
        assertThat(b).isGreaterThan(ObjectKeys.ingestIndexFrom(later)).isGreaterThan(ObjectKeys.ingestIndexFrom(earlier));
        assertThat(a).isLessThan(ObjectKeys.ingestIndexFrom(later));
        assertThatThrownBy(() -> ObjectKeys.ingestIndex(later, "../x")).hasMessageContaining("SOPInstanceUID");
    }

    @Test
    void aUidThatCouldEscapeItsPrefixNeverBecomesAKey() {
        assertThatThrownBy(() -> ObjectKeys.raw("1.2/../../etc", "1.2", "1.2")).hasMessageContaining("StudyInstanceUID")
                .hasMessageContaining("only digits and dots");
        assertThatThrownBy(() -> ObjectKeys.raw("1.2", "1.2", null)).hasMessage("SOPInstanceUID is missing");
        assertThatThrownBy(() -> ObjectKeys.raw("1.2", "1." + "2".repeat(70), "1.2")).hasMessageContaining("at most 64");
        assertThat(Uids.isValid("1.2.840.10008.1.2")).isTrue();
        assertThat(Uids.isValid("1..2")).isFalse();
        assertThat(Uids.isValid("1.02")).isFalse();
        assertThat(Uids.isValid(".1.2")).isFalse();
        assertThat(Uids.isValid("0.1")).isTrue();
    }

    @Test
    void theRsnaDataSetsIdsAreKeysAsTheyAreAndNothingLooserIs() {
        // the real stage_2_train files: SOPInstanceUID ID_ + 9 hex digits, Study/Series ID_ + 10
        assertThat(ObjectKeys.raw("ID_1e4b0b9b64", "ID_04aab1f7cb", "ID_000012eaf"))
                .isEqualTo("raw/ID_1e4b0b9b64/ID_04aab1f7cb/ID_000012eaf.dcm");
        var version = PipelineConfig.defaults().version();
        assertThat(ObjectKeys.clean(version, "ID_000012eaf")).isEqualTo("clean/" + version.id() + "/ID_000012eaf.png");
        assertThat(Uids.isRsnaId("ID_ABCDEF0123")).isTrue();
        assertThat(Uids.isValid("ID_" + "a".repeat(61))).isTrue();
        assertThat(Uids.isDicomUid("ID_000012eaf")).isFalse();
        for (String bad : new String[] {"ID_xyz!", "ID_", "ID_12g4", "id_000012eaf", "ID_0a/../x", "ID_0a.b", "ID_00 12",
                "ID_" + "a".repeat(62), "xID_00", "ID__00"}) {
            assertThat(Uids.isValid(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> ObjectKeys.raw("1.2", "1.2", bad)).as(bad).isInstanceOf(Uids.InvalidUidException.class)
                    .hasMessageContaining("SOPInstanceUID");
        }
        assertThatThrownBy(() -> ObjectKeys.raw("1.2", "1.2", "ID_xyz!")).hasMessageContaining("ID_ and 1 to 61 hex digits");
        assertThatThrownBy(() -> Uids.requireDicomUid("SOPInstanceUID", "ID_000012eaf"))
                .hasMessageContaining("ich.ingest.accept-rsna-ids");
        assertThat(Uids.requireDicomUid("SOPInstanceUID", "1.2.3")).isEqualTo("1.2.3");
    }

    @Test
    void theIngestedEventIsPlainJsonWithIsoTimes() throws Exception {
        DicomIngested e = new DicomIngested("1.2.5", "1.2.3", "1.2.4", "ID_ab", "raw/1.2.3/1.2.4/1.2.5.dcm", "ff", 10,
                "1.2.840.10008.1.2.1", IngestSource.C_STORE, Instant.parse("2026-11-25T10:00:00Z"));

        String json = Events.JSON.writeValueAsString(e);

        assertThat(json).contains("\"source\":\"c-store\"", "\"receivedAt\":\"2026-11-25T10:00:00Z\"", "\"sopInstanceUid\":\"1.2.5\"");
        assertThat(Events.JSON.readValue(json, DicomIngested.class)).isEqualTo(e);
        assertThat(Topics.deadLetter(Topics.DICOM_INGESTED)).isEqualTo("dicom-ingested-dlq");
    }
}
