package dev.ich.model;

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

    /** {@code resnet18}, {@code resnet34} (any case). */
    public static Architecture parse(String name) {
        for (Architecture a : values()) if (a.name().equalsIgnoreCase(name)) return a;
        throw new IllegalArgumentException("architecture must be resnet18 or resnet34, not '" + name + "'");
    }
}
