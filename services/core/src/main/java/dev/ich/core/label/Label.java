package dev.ich.core.label;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The six RSNA labels, in the order of the label CSV (docs/reference-experiment.md, "Data set"). {@link #ANY} is 1
 * exactly when a subtype is 1.
 */
public enum Label {
    EPIDURAL, INTRAPARENCHYMAL, INTRAVENTRICULAR, SUBARACHNOID, SUBDURAL, ANY;

    /** Subtypes only, in CSV order. */
    public static final List<Label> SUBTYPES = List.of(EPIDURAL, INTRAPARENCHYMAL, INTRAVENTRICULAR, SUBARACHNOID, SUBDURAL);

    /** The name in the CSV ID column: {@code ID_<slice>_<csvName>}. */
    public String csvName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Competition weight: 2 for any, 1 for each subtype. */
    public double metricWeight() {
        return this == ANY ? 2.0 : 1.0;
    }

    public static Optional<Label> fromCsvName(String name) {
        return Arrays.stream(values()).filter(l -> l.csvName().equals(name)).findFirst();
    }
}
