package dev.ich.core.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the learning rate moves over a run: fastai's one-cycle (the default) or constant. */
public enum Schedule {
    ONE_CYCLE, CONSTANT;

    /** {@code one_cycle}, {@code constant}. */
    @JsonValue
    public String json() {
        return Names.json(this);
    }

    /** {@code one_cycle} (also {@code one-cycle}), {@code constant}, in any case. */
    @JsonCreator
    public static Schedule parse(String name) {
        return Names.parse(values(), Schedule::json, "schedule", name);
    }
}
