package dev.ich.labeling.drift;

import dev.ich.core.event.SlicePrediction;
import dev.ich.core.label.Label;
import dev.ich.labeling.LabelingConfig;
import dev.ich.labeling.table.Database;
import dev.ich.labeling.table.LabelJoin;
import dev.ich.labeling.table.SliceTable;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static dev.ich.labeling.table.Database.quote;

/**
 * Inference's {@code predictions} records in the service's database, one row per record (its CloudEvents id), the
 * {@code any} call and subgroup as columns: what the drift section counts. Rows and the topic's offsets change in one
 * transaction (as the slice table's do), and a record whose id is stored already is not stored again, so a redelivery
 * or a producer's retry changes nothing. At most {@code ich.labeling.max-predictions} rows stay: the oldest go first.
 */
@ApplicationScoped
public class PredictionTable {
    static final String TABLE = "predictions";
    private static final String INCOMING = "predictions_incoming";
    private static final String COLUMNS = "(id VARCHAR, sop_uid VARCHAR, slice_id VARCHAR, study_uid VARCHAR, model_name VARCHAR,"
            + " model_version VARCHAR, source VARCHAR, predicted_at TIMESTAMP, week VARCHAR, p_any DOUBLE, call_any BOOLEAN,"
            + " brain_window_passed BOOLEAN, latency_ms DOUBLE, bits_stored INTEGER, pixel_representation INTEGER, patient_sex VARCHAR,"
            + " age_band VARCHAR)";
    private static final String ANY = Label.ANY.csvName();

    @Inject
    Database db;
    @Inject
    LabelingConfig config;

    /** A record taken from the topic: its CloudEvents id (or its position when it has none) and the prediction. */
    public record Received(String id, SlicePrediction prediction) {
    }

    @PostConstruct
    void create() {
        db.with(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " " + COLUMNS);
                s.execute("CREATE TABLE IF NOT EXISTS " + INCOMING + " " + COLUMNS);
                s.execute("CREATE TABLE IF NOT EXISTS topic_offsets (topic VARCHAR, part INTEGER, next_offset BIGINT)");
            }
            return null;
        });
    }

    /** Stores the records not stored yet, prunes to the limit, and records where consumption continues: all or nothing. */
    public void insert(List<Received> records, Collection<SliceTable.Position> positions) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + INCOMING + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Received r : records) {
                    SlicePrediction p = r.prediction();
                    SlicePrediction.Subgroup g = p.subgroup() == null ? new SlicePrediction.Subgroup(null, null, null, null) : p.subgroup();
                    ps.setString(1, r.id());
                    ps.setString(2, p.sopInstanceUid());
                    ps.setString(3, SliceTable.sliceId(p.sopInstanceUid()));
                    ps.setString(4, p.studyInstanceUid());
                    ps.setString(5, p.model().name());
                    ps.setString(6, p.model().version());
                    ps.setString(7, p.source());
                    ps.setObject(8, p.predictedAt().atOffset(ZoneOffset.UTC).toLocalDateTime());
                    ps.setString(9, week(p));
                    setDouble(ps, 10, p.probabilities() == null ? null : p.probabilities().get(ANY));
                    Boolean call = p.positive() == null ? null : p.positive().get(ANY);
                    if (call == null) ps.setNull(11, Types.BOOLEAN); else ps.setBoolean(11, call);
                    ps.setBoolean(12, p.brainWindowPassed());
                    ps.setDouble(13, p.latencyMs());
                    setInt(ps, 14, g.bitsStored());
                    setInt(ps, 15, g.pixelRepresentation());
                    ps.setString(16, g.patientSex());
                    ps.setString(17, g.ageBand());
                    ps.addBatch();
                }
                if (!records.isEmpty()) ps.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                // One anti-join for the whole poll: ids stored already (a redelivery, a producer's retry) are skipped.
                s.execute("INSERT INTO " + TABLE + " SELECT DISTINCT ON (i.id) i.* FROM " + INCOMING + " i WHERE NOT EXISTS"
                        + " (SELECT 1 FROM " + TABLE + " t WHERE t.id = i.id)");
                s.execute("DELETE FROM " + INCOMING);
                long over = count(s, "SELECT count(*) FROM " + TABLE) - config.maxPredictions();
                if (over > 0) {
                    s.execute("DELETE FROM " + TABLE + " WHERE id IN (SELECT id FROM " + TABLE + " ORDER BY predicted_at, id LIMIT " + over + ")");
                }
            }
            SliceTable.saveOffsets(c, positions);
            return null;
        });
    }

    /** ISO week of the prediction in UTC, e.g. {@code 2026-W49}. */
    static String week(SlicePrediction p) {
        var d = p.predictedAt().atOffset(ZoneOffset.UTC);
        return String.format(java.util.Locale.ROOT, "%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    public long count() {
        return db.with(c -> {
            try (Statement s = c.createStatement()) {
                return count(s, "SELECT count(*) FROM " + TABLE);
            }
        });
    }

    /** The drift section, joined with label version {@code labelsVersion} (null: no labels, the label columns stay 0). */
    public PredictionDrift drift(Integer labelsVersion) {
        String join = " FROM " + TABLE + " p LEFT JOIN " + LabelJoin.LABELS_TABLE + " l ON l.slice_id = p.slice_id AND "
                + (labelsVersion == null ? "FALSE" : "l.version = " + labelsVersion.intValue());
        String truth = "l." + quote(ANY);
        String measures = "count(*) AS n, count(p.call_any) AS called, count(*) FILTER (WHERE p.call_any) AS pos_calls,"
                + " count(l.slice_id) AS labeled, count(*) FILTER (WHERE " + truth + " = 1) AS lab_pos,"
                + " count(*) FILTER (WHERE p.call_any AND " + truth + " = 1) AS tp, count(*) FILTER (WHERE p.call_any AND " + truth + " = 0) AS fp,"
                + " count(*) FILTER (WHERE NOT p.call_any AND " + truth + " = 0) AS tn, count(*) FILTER (WHERE NOT p.call_any AND " + truth + " = 1) AS fn";
        List<String> groups = List.of(
                "'" + PredictionDrift.ALL + "' AS dim, 'all' AS grp",
                "'" + PredictionDrift.SCANNER + "' AS dim, CAST(p.bits_stored AS VARCHAR) || '/' || CAST(p.pixel_representation AS VARCHAR) AS grp",
                "'" + PredictionDrift.SEX + "' AS dim, p.patient_sex AS grp",
                "'" + PredictionDrift.AGE + "' AS dim, p.age_band AS grp");
        StringBuilder sql = new StringBuilder("SELECT * FROM (");
        for (int i = 0; i < groups.size(); i++) {
            if (i > 0) sql.append(" UNION ALL ");
            sql.append("SELECT p.model_name AS model, p.model_version AS version, p.week AS week, ").append(i).append(" AS dim_order, ")
                    .append(groups.get(i)).append(", ").append(measures).append(join).append(" GROUP BY ALL");
        }
        // Absent fields (no PatientSex where ingest removes it) make no group of their own.
        sql.append(") WHERE grp IS NOT NULL ORDER BY model, version, week, dim_order, grp");
        return db.with(c -> {
            List<PredictionDrift.Cell> cells = new ArrayList<>();
            long total;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
                while (rs.next()) cells.add(cell(rs));
                total = count(s, "SELECT count(*) FROM " + TABLE);
            }
            return new PredictionDrift(ANY, total, config.maxPredictions(), cells);
        });
    }

    private static PredictionDrift.Cell cell(ResultSet rs) throws java.sql.SQLException {
        long n = rs.getLong("n"), called = rs.getLong("called"), positive = rs.getLong("pos_calls");
        long labeled = rs.getLong("labeled"), labeledPositive = rs.getLong("lab_pos");
        long tp = rs.getLong("tp"), fp = rs.getLong("fp"), tn = rs.getLong("tn"), fn = rs.getLong("fn");
        return new PredictionDrift.Cell(rs.getString("model"), rs.getString("version"), rs.getString("week"), rs.getString("dim"),
                rs.getString("grp"), n, called, positive, rate(positive, called), labeled, labeledPositive, rate(labeledPositive, labeled),
                tp, fp, tn, fn, rate(tp, tp + fn), rate(tn, tn + fp));
    }

    private static Double rate(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static long count(Statement s, String sql) throws java.sql.SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws java.sql.SQLException {
        if (v == null) ps.setNull(i, Types.DOUBLE); else ps.setDouble(i, v);
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws java.sql.SQLException {
        if (v == null) ps.setNull(i, Types.INTEGER); else ps.setInt(i, v);
    }
}
