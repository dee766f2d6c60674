package dev.ich.model;

import dev.ich.core.label.Label;

import java.util.List;

/** What the network predicts: {@code any} (one sigmoid) or all six RSNA labels (six sigmoids). */
public enum Task {
    ANY(List.of(Label.ANY)), MULTILABEL(List.of(Label.values()));

    private final List<Label> labels;

    Task(List<Label> labels) {
        this.labels = labels;
    }

    /** The outputs, in order. */
    public List<Label> labels() {
        return labels;
    }

    public int outputs() {
        return labels.size();
    }

    /** {@code any}, {@code multilabel} (the datasets' spelling). */
    public static Task parse(String name) {
        for (Task t : values()) if (t.name().equalsIgnoreCase(name)) return t;
        throw new IllegalArgumentException("task must be any or multilabel, not '" + name + "'");
    }
}
