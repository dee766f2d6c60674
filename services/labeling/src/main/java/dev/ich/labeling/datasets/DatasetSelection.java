package dev.ich.labeling.datasets;

import dev.ich.core.dataset.SampleMetadata;
import dev.ich.core.label.Label;
import dev.ich.labeling.table.LabelJoin;
import dev.ich.labeling.table.SliceTable;
import dev.ich.runtime.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Which slices a dataset takes: kept by cleaning, from one image pipeline, labelled in the request's label version. */
@ApplicationScoped
public class DatasetSelection {
    private static final String LABEL_PREFIX = "l_";

    @Inject
    SliceTable table;

    /** The one pipeline the kept slices come from; a 400 when there is none yet, or several to choose from. */
    String onlyPipeline() {
        List<String> pipelines = table.query("SELECT DISTINCT pipeline FROM " + SliceTable.TABLE + " WHERE kept ORDER BY 1", List.of())
                .stream().map(r -> (String) r.get("pipeline")).toList();
        if (pipelines.isEmpty()) throw ApiProblem.badRequest("no slice has been kept by cleaning yet, so there is nothing to train on");
        if (pipelines.size() > 1) {
            throw ApiProblem.badRequest("kept slices come from several image pipelines " + pipelines + ": choose one with \"pipeline\"");
        }
        return pipelines.get(0);
    }

    /** The slices {@code spec} (resolved: labels version and pipeline set) selects, ordered by UID. */
    List<SelectedSlice> select(DatasetRequest spec) {
        // The subgroup columns: BitsStored and PixelRepresentation are always in the table; the patient's sex and age only
        // when some slice's header carried them (de-identification may have removed them).
        String subgroups = ", s.BitsStored AS m_bits, s.PixelRepresentation AS m_sign" + optional("PatientSex", "m_sex")
                + optional("PatientAge", "m_age");
        String sql = "SELECT s.uid, coalesce(s.PatientID, s.StudyInstanceUID) AS patient, s.cleaned_key" + subgroups + LabelJoin.columns(LABEL_PREFIX)
                + LabelJoin.INNER + " WHERE s.kept AND s.cleaned_key IS NOT NULL AND s.pipeline = ? AND s.img_pct_window >= ?"
                + (spec.filter().excludeErrors() ? " AND s.error_problem IS NULL" : "") + " ORDER BY s.uid";
        List<SelectedSlice> rows = new ArrayList<>();
        for (Map<String, Object> r : table.query(sql, List.of(spec.labels(), spec.pipeline(), spec.filter().minPctWindow()))) {
            Map<Label, Integer> values = new EnumMap<>(Label.class);
            for (Label l : Label.values()) values.put(l, ((Number) r.get(LABEL_PREFIX + l.csvName())).intValue());
            rows.add(new SelectedSlice((String) r.get("uid"), (String) r.get("patient"), (String) r.get("cleaned_key"), values,
                    SampleMetadata.of(r.get("m_bits"), r.get("m_sign"), r.get("m_sex"), r.get("m_age"))));
        }
        return rows;
    }

    private String optional(String column, String as) {
        return table.column(column).map(c -> ", CAST(s.\"" + c + "\" AS VARCHAR) AS " + as).orElse("");
    }
}
