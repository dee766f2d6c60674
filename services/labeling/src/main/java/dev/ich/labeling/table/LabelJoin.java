package dev.ich.labeling.table;

import dev.ich.core.label.Label;

import static dev.ich.labeling.table.Database.quote;

/**
 * The table's slices (alias {@code s}) with one label version (alias {@code l}): the one place this join is written,
 * for {@code GET /slices?labels=} and a dataset's selection.
 */
public final class LabelJoin {
    /** The {@code labels} table LabelStore keeps: one row per slice and version, a 0/1 column per label. */
    public static final String LABELS_TABLE = "labels";
    /** Slices with a row in the label version bound to its one {@code ?}. */
    public static final String INNER = " FROM " + SliceTable.TABLE + " s JOIN " + LABELS_TABLE + " l ON l.slice_id = s."
            + SliceTable.SLICE_ID + " AND l.version = ?";

    private LabelJoin() {
    }

    /** {@code , l."any" AS "<prefix>any", ...}: every label's column, named with {@code prefix}. */
    public static String columns(String prefix) {
        StringBuilder columns = new StringBuilder();
        for (Label l : Label.values()) columns.append(", l.").append(quote(l.csvName())).append(" AS ").append(quote(prefix + l.csvName()));
        return columns.toString();
    }
}
