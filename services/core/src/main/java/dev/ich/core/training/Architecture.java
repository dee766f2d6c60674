package dev.ich.core.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Backbones of the notebooks' baseline (docs/reference-experiment.md, "Baseline model"): ResNet-18 by default, ResNet-34 for more capacity. */
public enum Architecture {
    RESNET18(18), RESNET34(34);

    private final int layers;

    Architecture(int layers) {
        this.layers = layers;
    }

    public int layers() {
        return layers;
    }

    /** {@code resnet18}, {@code resnet34}. */
    @JsonValue
    public String json() {
        return Names.json(this);
    }

    /** {@code resnet18}, {@code resnet34} (any case). */
    @JsonCreator
    public static Architecture parse(String name) {
        return Names.parse(values(), Architecture::json, "architecture", name);
    }
}
