package dev.ich.core.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a trainer run does: train a model ({@code train}, the default) or only run the learning-rate finder ({@code lr-find}). */
public enum JobKind {
    TRAIN, LR_FIND;

    /** {@code train}, {@code lr-find}. */
    @JsonValue
    public String json() {
        return Names.json(this).replace('_', '-');
    }

    @JsonCreator
    public static JobKind parse(String name) {
        return Names.parse(values(), JobKind::json, "kind", name);
    }
}
