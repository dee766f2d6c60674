package dev.ich.labeling.slices;

import dev.ich.core.label.Label;
import dev.ich.labeling.table.LabelJoin;
import dev.ich.labeling.table.SliceTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ich.labeling.table.Database.quote;

/** The SQL behind {@code GET /slices}: pages of rows, optionally with a label version's columns, and one row by UID. */
@ApplicationScoped
public class SliceQueries {
    /** A label version's columns in a page are {@code label_<name>}. */
    static final String LABEL_PREFIX = "label_";

    @Inject
    SliceTable table;

    /**
     * The rows {@code filter} keeps, ordered by UID: {@code columns} (checked names; empty for all), with the columns of
     * label version {@code labelsVersion} when it is given, and then only the positives of {@code positiveOf} if given.
     */
    SlicePage page(SliceFilter filter, List<String> columns, Integer labelsVersion, Label positiveOf, int limit, long offset) {
        String select = columns.isEmpty() ? "s.*" : String.join(", ", columns.stream().map(c -> "s." + quote(c)).toList());
        String from = " FROM " + SliceTable.TABLE + " s";
        String condition = filter.sql();
        List<Object> binds = new ArrayList<>();
        if (labelsVersion != null) {
            select += LabelJoin.columns(LABEL_PREFIX);
            from = LabelJoin.INNER;
            binds.add(labelsVersion); // the join's, before the filter's
            if (positiveOf != null) condition += " AND l." + quote(positiveOf.csvName()) + " = 1";
        }
        binds.addAll(filter.values());
        long total = table.queryLong("SELECT count(*)" + from + " WHERE " + condition, binds);
        List<Map<String, Object>> rows = table.query("SELECT " + select + from + " WHERE " + condition
                + " ORDER BY s.uid LIMIT " + limit + " OFFSET " + offset, binds);
        return new SlicePage(total, offset, limit, rows);
    }

    /** The row of slice {@code uid}, if the table has it. */
    Optional<Map<String, Object>> one(String uid) {
        return table.query("SELECT * FROM " + SliceTable.TABLE + " WHERE uid = ?", List.of(uid)).stream().findFirst();
    }
}
