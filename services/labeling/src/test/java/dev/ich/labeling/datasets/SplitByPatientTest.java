package dev.ich.labeling.datasets;

import dev.ich.core.dataset.PatientSplit;
import dev.ich.core.label.Label;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The split follows the slices, not the pseudonyms: a new de-identification key must not move patients between splits. */
class SplitByPatientTest {

    @Test
    void theSameSlicesAndSeedGiveTheSameSplitUnderAnyPseudonymKey() {
        List<SelectedSlice> underOneKey = rows("a");
        List<SelectedSlice> underAnother = rows("z");
        Map<String, String> first = PatientSplits.byPatient(underOneKey, 0.2, 1);
        Map<String, String> second = PatientSplits.byPatient(underAnother, 0.2, 1);
        assertThat(first).hasSize(25);
        assertThat(first.values()).contains(PatientSplit.TRAIN, PatientSplit.VALID);
        for (int p = 0; p < 25; p++) {
            // Patient p carries another pseudonym under the other key; it must land on the same side.
            assertThat(second.get(pseudonym("z", p))).as("patient %d", p).isEqualTo(first.get(pseudonym("a", p)));
        }
        assertThat(PatientSplits.byPatient(underOneKey, 0.2, 2)).as("another seed, another split").isNotEqualTo(first);
    }

    /** 25 patients of 4 slices, every third patient bleeding; the pseudonyms' order depends on the key, the UIDs' does not. */
    private static List<SelectedSlice> rows(String key) {
        List<SelectedSlice> rows = new ArrayList<>();
        for (int p = 0; p < 25; p++) {
            for (int s = 0; s < 4; s++) {
                Map<Label, Integer> labels = new EnumMap<>(Label.class);
                for (Label l : Label.values()) labels.put(l, 0);
                if (p % 3 == 0) labels.put(Label.ANY, 1);
                rows.add(new SelectedSlice("1.2.3." + (100 + p) + "." + s, pseudonym(key, p), "clean/x/" + p + "-" + s + ".png", labels));
            }
        }
        return rows;
    }

    /** A keyed hash stands in for ingest's HMAC pseudonym: its order differs from key to key. */
    private static String pseudonym(String key, int patient) {
        return Integer.toHexString((key + "/" + patient).hashCode() * 31 + key.hashCode());
    }

}
