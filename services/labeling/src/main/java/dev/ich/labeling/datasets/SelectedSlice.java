package dev.ich.labeling.datasets;

import dev.ich.core.dataset.SlicePlace;
import dev.ich.core.label.Label;

import java.util.List;
import java.util.Map;

/**
 * One slice a dataset takes: its UID, its patient (pseudonym), its cleaned image, its labels in the chosen version,
 * the subgroups its header put it in ({@link dev.ich.core.dataset.SampleMetadata}); where it sits (null when its header gave no study, series or position) and, with 2.5D context, its neighbours'
 * cleaned images (below, then above).
 */
public record SelectedSlice(String uid, String patient, String imageKey, Map<Label, Integer> labels, Map<String, String> metadata,
                            SlicePlace place, List<String> neighbourKeys) {
    public SelectedSlice(String uid, String patient, String imageKey, Map<Label, Integer> labels) {
        this(uid, patient, imageKey, labels, Map.of(), null, List.of());
    }

    public SelectedSlice(String uid, String patient, String imageKey, Map<Label, Integer> labels, Map<String, String> metadata) {
        this(uid, patient, imageKey, labels, metadata, null, List.of());
    }

    boolean positive() {
        return labels.get(Label.ANY) == 1;
    }
}
