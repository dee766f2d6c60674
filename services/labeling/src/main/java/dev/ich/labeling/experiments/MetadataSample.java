package dev.ich.labeling.experiments;

import java.util.Map;
import java.util.Objects;

/**
 * One slice's header columns joined to its {@code any} label on the slice id. The join is the caller's job and the
 * whole point: the notebooks' 50.2% came from two tables filtered apart and never joined.
 *
 * @param uid      slice id (SOP Instance UID); appears once across both splits
 * @param split    {@link #TRAIN} or {@link #VALID}, assigned by patient upstream so no patient is in both
 * @param features numeric header column to value; a value may be null (or NaN) when the slice lacks the element
 * @param positive {@code any} = 1: the slice bleeds
 */
public record MetadataSample(String uid, String split, Map<String, Double> features, boolean positive) {

    public static final String TRAIN = "train";
    public static final String VALID = "valid";

    public MetadataSample {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(features, "features");
    }

    /** The value of one column, null when absent, null or NaN. */
    Double value(String feature) {
        Double v = features.get(feature);
        return v == null || v.isNaN() ? null : v;
    }
}
