package dev.ich.labeling.labels;

/** What can be wrong in a label file without making the rest of it useless. */
public enum LabelProblem {
    /** Not {@code ID_<slice>_<label>,<0|1>}: no comma, no ID_ prefix, no label part. */
    MALFORMED_LINE("lines that are not ID_<slice>_<label>,<0 or 1>"),
    UNKNOWN_LABEL("label names other than the six RSNA labels"),
    BAD_VALUE("values other than 0 and 1"),
    CONFLICTING_DUPLICATE("the same slice and label given twice with different values (the last one is kept)"),
    INCOMPLETE_SLICE("slices without all six labels (left out of this version)"),
    ANY_DISAGREES("slices whose 'any' is not 1 exactly when a subtype is 1 (kept as given)"),
    NOT_INGESTED("labelled slices that are not (yet) in the metadata table (kept: they join once ingested)");

    private final String meaning;

    LabelProblem(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }
}
