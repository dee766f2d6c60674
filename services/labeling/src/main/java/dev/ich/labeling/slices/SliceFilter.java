package dev.ich.labeling.slices;

import dev.ich.labeling.table.SliceTable;
import dev.ich.runtime.problem.ApiProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static dev.ich.labeling.table.Database.quote;

/**
 * The filters {@code GET /slices} understands, as a SQL condition with bound values. Column names are
 * checked against the table (never pasted from the request), values are always bound.
 */
public final class SliceFilter {
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    /** {@code column} as the table spells it, or a 400 naming the unknown column. */
    public static UnaryOperator<String> columns(SliceTable table) {
        return name -> table.column(name).orElseThrow(() -> ApiProblem.badRequest("no column '" + name
                + "' in the metadata table (GET /slices?limit=1 shows the columns)"));
    }

    public SliceFilter kept(Boolean kept) {
        if (kept != null) add("kept = ?", kept);
        return this;
    }

    public SliceFilter equal(String column, Object value) {
        if (value != null) add(quote(column) + " = ?", value);
        return this;
    }

    public SliceFilter atLeast(String column, Double min) {
        if (min != null) add(quote(column) + " >= ?", min);
        return this;
    }

    public SliceFilter below(String column, Double max) {
        if (max != null) add(quote(column) + " < ?", max);
        return this;
    }

    /** {@code column:value} pairs from {@code ?where=BitsStored:12}: equal as text, or as numbers (12 matches 12.0). */
    public SliceFilter where(List<String> pairs, UnaryOperator<String> columns) {
        for (String pair : pairs) {
            int colon = pair.indexOf(':');
            if (colon <= 0) throw ApiProblem.badRequest("where must be column:value, e.g. where=BitsStored:12, not '" + pair + "'");
            String column = quote(columns.apply(pair.substring(0, colon)));
            String value = pair.substring(colon + 1);
            conditions.add("(CAST(" + column + " AS VARCHAR) = ? OR TRY_CAST(" + column + " AS DOUBLE) = TRY_CAST(? AS DOUBLE))");
            values.add(value);
            values.add(value);
        }
        return this;
    }

    private void add(String condition, Object value) {
        conditions.add(condition);
        values.add(value);
    }

    public String sql() {
        return conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
    }

    public List<Object> values() {
        return values;
    }
}
