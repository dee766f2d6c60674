package dev.ich.core.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a trainer run does: train a model ({@code train}, the default), only run the learning-rate finder
 * ({@code lr-find}), fit a new temperature and operating point for an existing model on a site's labelled dataset,
 * nothing retrained ({@code calibrate}), or train a study-level sequence head over an existing slice model's
 * features ({@code study-head}). The last two name that model in {@link JobSpec#sourceModel()}.
 */
public enum JobKind {
    TRAIN, LR_FIND, CALIBRATE, STUDY_HEAD;

    /** Whether the job starts from a registry model it names in {@link JobSpec#sourceModel()} (and must). */
    public boolean needsSourceModel() {
        return this == CALIBRATE || this == STUDY_HEAD;
    }

    /** {@code train}, {@code lr-find}, {@code calibrate}, {@code study-head}. */
    @JsonValue
    public String json() {
        return Names.json(this).replace('_', '-');
    }

    @JsonCreator
    public static JobKind parse(String name) {
        return Names.parse(values(), JobKind::json, "kind", name);
    }
}
