package dev.ich.core.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
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

    /** {@code any}, {@code multilabel}: the datasets' spelling. */
    @JsonValue
    public String json() {
        return Names.json(this);
    }

    /** {@code any}, {@code multilabel} (any case). */
    @JsonCreator
    public static Task parse(String name) {
        return Names.parse(values(), Task::json, "task", name);
    }
}
