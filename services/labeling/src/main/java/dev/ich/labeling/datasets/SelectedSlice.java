package dev.ich.labeling.datasets;

import dev.ich.core.label.Label;

import java.util.Map;

/** One slice a dataset takes: its UID, its patient (pseudonym), its cleaned image and its labels in the chosen version. */
public record SelectedSlice(String uid, String patient, String imageKey, Map<Label, Integer> labels) {
    boolean positive() {
        return labels.get(Label.ANY) == 1;
    }
}
