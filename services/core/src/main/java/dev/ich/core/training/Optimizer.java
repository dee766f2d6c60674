package dev.ich.core.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The optimizer of a run: AdamW (the notebooks', the default) or SGD with momentum (steadier on phantoms, docs/training.md). */
public enum Optimizer {
    ADAMW, SGD;

    @JsonValue
    public String json() {
        return Names.json(this);
    }

    /** {@code adamw}, {@code sgd} (any case). */
    @JsonCreator
    public static Optimizer parse(String name) {
        return Names.parse(values(), Optimizer::json, "optimizer", name);
    }
}
