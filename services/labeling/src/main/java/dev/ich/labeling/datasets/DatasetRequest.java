package dev.ich.labeling.datasets;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.dataset.SliceContext;
import dev.ich.runtime.problem.ApiProblem;

/**
 * {@code POST /datasets}: what to freeze. Every field but {@code name} has a default; the stored spec is
 * this request with the defaults filled in, so a dataset says exactly how it was made.
 *
 * @param name     lower-case name; versions v1, v2, ... are numbered per name
 * @param labels   label version (default: the latest)
 * @param task     {@code any} (default: one binary target) or {@code multilabel}
 * @param filter   which slices qualify (default: img_pct_window >= 0.02 and no decoding error)
 * @param balance  {@code positives-and-as-many-negatives} (default for any) or {@code none} (default for multilabel)
 * @param split    by patient, with the valid share and the seed
 * @param pipeline image pipeline version (default: the only one the table's kept slices have)
 * @param context  2.5D input: neighbours each side within the series stacked as extra channels (default 0: single slices)
 */
public record DatasetRequest(String name, Integer labels, String task, Filter filter, String balance, Split split,
                             String pipeline, Integer context) {
    public static final String ANY = "any";
    public static final String MULTILABEL = "multilabel";
    public static final String BALANCED = "positives-and-as-many-negatives";
    public static final String NONE = "none";

    /** @param minPctWindow slices below are left out (the notebooks' 0.02); @param excludeErrors leave out undecodable slices */
    public record Filter(Double minPctWindow, Boolean excludeErrors) {
        public static Filter defaults() {
            return new Filter(0.02, true);
        }
    }

    /** @param by only {@code patient}: no patient in two splits; @param valid share of patients in valid */
    public record Split(String by, Double valid, Long seed) {
        public static Split defaults() {
            return new Split("patient", 0.2, 42L);
        }
    }

    /** This request with every default filled in, checked; a 400 naming the field otherwise. */
    public DatasetRequest resolved(int latestLabels, String onlyPipeline) {
        if (name == null) throw ApiProblem.badRequest("name is required, e.g. {\"name\": \"any-balanced\"}");
        try {
            ObjectKeys.requireName("name", name);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        String t = task == null ? ANY : task;
        if (!t.equals(ANY) && !t.equals(MULTILABEL)) throw ApiProblem.badRequest("task must be 'any' or 'multilabel', not '" + t + "'");
        Filter f = filter == null ? Filter.defaults() : new Filter(
                filter.minPctWindow() == null ? 0.02 : filter.minPctWindow(),
                filter.excludeErrors() == null || filter.excludeErrors());
        String b = balance == null ? (t.equals(ANY) ? BALANCED : NONE) : balance;
        if (!b.equals(BALANCED) && !b.equals(NONE)) {
            throw ApiProblem.badRequest("balance must be '" + BALANCED + "' or '" + NONE + "', not '" + b + "'");
        }
        if (b.equals(BALANCED) && t.equals(MULTILABEL)) {
            throw ApiProblem.badRequest("balance '" + BALANCED + "' balances the any target; for multilabel use 'none'");
        }
        Split d = Split.defaults();
        Split s = split == null ? d : new Split(split.by() == null ? d.by() : split.by(), split.valid() == null ? d.valid() : split.valid(),
                split.seed() == null ? d.seed() : split.seed());
        if (!s.by().equals("patient")) {
            throw ApiProblem.badRequest("split.by must be 'patient' (a split by slice leaks a patient's neighbouring slices "
                    + "into validation), not '" + s.by() + "'");
        }
        if (!(s.valid() > 0 && s.valid() < 1)) throw ApiProblem.badRequest("split.valid must be between 0 and 1, not " + s.valid());
        String p = pipeline == null ? onlyPipeline : pipeline;
        int c = context == null ? 0 : context;
        if (c < 0 || c > SliceContext.MAX) {
            throw ApiProblem.badRequest("context must be 0.." + SliceContext.MAX + " (neighbour slices each side, stacked as channels), not " + c);
        }
        return new DatasetRequest(name, labels == null ? latestLabels : labels, t, f, b, s, p, c);
    }
}
