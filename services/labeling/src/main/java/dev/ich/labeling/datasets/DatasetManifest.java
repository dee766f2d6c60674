package dev.ich.labeling.datasets;

import dev.ich.core.label.Label;
import dev.ich.labeling.table.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.nio.file.Path;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.ich.labeling.table.Database.quote;

/** A version's {@code manifest.parquet} (a row per sample: split, labels, image and shard) and its counts per split. */
@ApplicationScoped
public class DatasetManifest {
    @Inject
    Database db;

    /** Writes the manifest to {@code file}, through a temporary DuckDB table (dropped whatever happens). */
    void write(Path file, Map<String, List<SelectedSlice>> bySplit, Map<String, String> shardOf) {
        String temp = "manifest_" + Long.toHexString(System.nanoTime());
        db.with(c -> {
            try (Statement s = c.createStatement()) {
                StringBuilder ddl = new StringBuilder("CREATE TABLE " + temp + " (uid VARCHAR, patient VARCHAR, split VARCHAR");
                for (Label l : Label.values()) ddl.append(", ").append(quote(l.csvName())).append(" TINYINT");
                s.execute(ddl.append(", image_key VARCHAR, shard_key VARCHAR)").toString());
                try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, temp)) {
                    for (Map.Entry<String, List<SelectedSlice>> split : bySplit.entrySet()) {
                        for (SelectedSlice r : split.getValue()) {
                            a.beginRow();
                            a.append(r.uid());
                            a.append(r.patient());
                            a.append(split.getKey());
                            for (Label l : Label.values()) a.append((byte) (int) r.labels().get(l));
                            a.append(r.imageKey());
                            a.append(shardOf.get(r.uid()));
                            a.endRow();
                        }
                    }
                }
                s.execute("COPY " + temp + " TO '" + file.toAbsolutePath().toString().replace("'", "''") + "' (FORMAT PARQUET)");
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + temp);
                }
            }
            return null;
        });
    }

    /** Slices, patients and each label's positives, per split: the counts dataset.json carries. */
    static Map<String, Map<String, Long>> counts(Map<String, List<SelectedSlice>> bySplit) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<SelectedSlice>> split : bySplit.entrySet()) {
            Map<String, Long> c = new LinkedHashMap<>();
            c.put("slices", (long) split.getValue().size());
            c.put("patients", split.getValue().stream().map(SelectedSlice::patient).distinct().count());
            for (Label l : Label.values()) c.put(l.csvName(), split.getValue().stream().filter(r -> r.labels().get(l) == 1).count());
            out.put(split.getKey(), c);
        }
        return out;
    }
}
