package dev.ich.labeling.datasets;

import dev.ich.core.label.Label;

import java.util.Map;

/**
 * One slice a dataset takes: its UID, its patient (pseudonym), its cleaned image, its labels in the chosen version and
 * the subgroups its header put it in ({@link dev.ich.core.dataset.SampleMetadata}).
 */
public record SelectedSlice(String uid, String patient, String imageKey, Map<Label, Integer> labels, Map<String, String> metadata) {
    public SelectedSlice(String uid, String patient, String imageKey, Map<Label, Integer> labels) {
        this(uid, patient, imageKey, labels, Map.of());
    }

    boolean positive() {
        return labels.get(Label.ANY) == 1;
    }
}
