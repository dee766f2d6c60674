package dev.ich.labeling.table;

import dev.ich.core.event.SliceCleaned;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.ich.labeling.table.Database.quote;

/**
 * The notebooks' data frame as a table: one row per slice, the latest {@code slices-cleaned} record per SOP
 * Instance UID, with a column for every key any row ever had (DICOM keywords appear as they are met).
 * Kafka offsets are stored in the same transaction as the rows they produced, so the table is exactly
 * the topic up to a point: after a crash, consumption resumes from the table's own offsets, and an empty
 * table (a fresh volume) reads the compacted topic from the beginning.
 */
@ApplicationScoped
public class SliceTable {
    public static final String TABLE = "slices";
    /** The slice id labels join on: the SOP Instance UID without an {@code ID_} prefix (see {@link #sliceId}). */
    public static final String SLICE_ID = "slice_id";

    /** Columns every query may rely on, present from the start (rows fill them as they arrive). */
    private static final Map<String, SqlType> BASE = base();

    @Inject
    Database db;

    /** Column name (case-insensitive, as DuckDB's identifiers are) to type; guarded by the database lock. */
    private final Map<String, SqlType> columns = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** Column names as first spelled. */
    private final Map<String, String> spelling = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private static Map<String, SqlType> base() {
        Map<String, SqlType> m = new LinkedHashMap<>();
        m.put("uid", SqlType.VARCHAR);
        m.put(SLICE_ID, SqlType.VARCHAR);
        m.put("cleaned_key", SqlType.VARCHAR);
        m.put("updated_at", SqlType.VARCHAR);
        m.put("pipeline", SqlType.VARCHAR);
        m.put("kept", SqlType.BOOLEAN);
        m.put("drop_reason", SqlType.VARCHAR);
        m.put("error_problem", SqlType.VARCHAR);
        m.put("error_reason", SqlType.VARCHAR);
        m.put("fname", SqlType.VARCHAR);
        m.put("StudyInstanceUID", SqlType.VARCHAR);
        m.put("SeriesInstanceUID", SqlType.VARCHAR);
        m.put("PatientID", SqlType.VARCHAR);
        m.put("BitsStored", SqlType.BIGINT);
        m.put("PixelRepresentation", SqlType.BIGINT);
        m.put("img_pct_window", SqlType.DOUBLE);
        return Collections.unmodifiableMap(m);
    }

    @PostConstruct
    void create() {
        createSchema();
    }

    public void createSchema() {
        db.with(c -> {
            try (Statement s = c.createStatement()) {
                StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS " + TABLE + " (");
                String sep = "";
                for (Map.Entry<String, SqlType> e : BASE.entrySet()) {
                    ddl.append(sep).append(quote(e.getKey())).append(' ').append(e.getValue());
                    sep = ", ";
                }
                s.execute(ddl.append(')').toString());
                s.execute("CREATE TABLE IF NOT EXISTS topic_offsets (topic VARCHAR, part INTEGER, next_offset BIGINT)");
            }
            loadColumns(c);
            return null;
        });
    }

    private void loadColumns(Connection c) throws SQLException {
        columns.clear();
        spelling.clear();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, TABLE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), SqlType.fromDuckDb(rs.getString(2)));
                    spelling.put(rs.getString(1), rs.getString(1));
                }
            }
        }
    }

    /** The slice id labels use: RSNA's SOP Instance UIDs are {@code ID_<hex>}, phantoms' are numeric UIDs. */
    public static String sliceId(String sopInstanceUid) {
        return sopInstanceUid.startsWith("ID_") ? sopInstanceUid.substring(3) : sopInstanceUid;
    }

    /** A record taken from the topic: where it was, and the event (null when the caller could not parse it). */
    public record Position(String topic, int partition, long offset) {
    }

    /**
     * Upserts the events (the last one per UID wins, as compaction would decide) and records, in the same
     * transaction, that consumption continues after {@code positions}.
     */
    public void upsert(List<SliceCleaned> events, Collection<Position> positions) {
        upsert(events, List.of(), positions);
    }

    /** As {@link #upsert(List, Collection)}, also deleting the rows of {@code removed} UIDs (compaction's tombstones). */
    public void upsert(List<SliceCleaned> events, Collection<String> removed, Collection<Position> positions) {
        Map<String, SliceCleaned> latest = new LinkedHashMap<>();
        for (SliceCleaned e : events) latest.put(e.sopInstanceUid(), e);
        db.inTransaction(c -> {
            List<Map<String, Object>> rows = new ArrayList<>(latest.size());
            for (SliceCleaned e : latest.values()) rows.add(rowOf(e));
            widenFor(c, rows);
            delete(c, latest.keySet());
            delete(c, removed);
            insert(c, rows);
            saveOffsets(c, positions);
            return null;
        });
    }

    private static Map<String, Object> rowOf(SliceCleaned e) {
        Map<String, Object> row = new LinkedHashMap<>();
        if (e.row() != null) e.row().forEach((k, v) -> {
            if (v != null && !(v instanceof Map) && !(v instanceof Collection)) row.put(k, v);
        });
        row.put("uid", e.sopInstanceUid());
        row.put(SLICE_ID, sliceId(e.sopInstanceUid()));
        row.put("cleaned_key", e.cleanedKey());
        row.put("updated_at", Instant.now().toString());
        row.put("pipeline", e.pipeline());
        row.put("kept", e.kept());
        row.put("drop_reason", e.dropReason());
        row.put("StudyInstanceUID", e.studyInstanceUid());
        row.put("SeriesInstanceUID", e.seriesInstanceUid());
        if (e.error() != null) {
            row.put("error_problem", e.error().problem());
            row.put("error_reason", e.error().reason());
        }
        row.values().removeIf(java.util.Objects::isNull);
        return row;
    }

    /** Adds columns met for the first time and widens those a value no longer fits. */
    private void widenFor(Connection c, List<Map<String, Object>> rows) throws SQLException {
        Map<String, SqlType> needed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, String> names = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map<String, Object> row : rows) {
            row.forEach((k, v) -> {
                names.putIfAbsent(k, k);
                needed.merge(k, SqlType.of(v), SqlType::widen);
            });
        }
        try (Statement s = c.createStatement()) {
            for (Map.Entry<String, SqlType> e : needed.entrySet()) {
                SqlType have = columns.get(e.getKey());
                if (have == null) {
                    s.execute("ALTER TABLE " + TABLE + " ADD COLUMN " + quote(names.get(e.getKey())) + " " + e.getValue());
                    columns.put(e.getKey(), e.getValue());
                    spelling.put(e.getKey(), names.get(e.getKey()));
                } else {
                    SqlType wide = have.widen(e.getValue());
                    if (wide != have) {
                        s.execute("ALTER TABLE " + TABLE + " ALTER " + quote(spelling.get(e.getKey())) + " TYPE " + wide);
                        columns.put(e.getKey(), wide);
                    }
                }
            }
        }
    }

    private static void delete(Connection c, Collection<String> uids) throws SQLException {
        List<String> all = new ArrayList<>(uids);
        for (int from = 0; from < all.size(); from += 500) {
            List<String> part = all.subList(from, Math.min(all.size(), from + 500));
            String marks = String.join(",", Collections.nCopies(part.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE uid IN (" + marks + ")")) {
                for (int i = 0; i < part.size(); i++) ps.setString(i + 1, part.get(i));
                ps.executeUpdate();
            }
        }
    }

    /** Rows grouped by their key set, each group one prepared batch. */
    private void insert(Connection c, List<Map<String, Object>> rows) throws SQLException {
        Map<List<String>, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) groups.computeIfAbsent(List.copyOf(row.keySet()), k -> new ArrayList<>()).add(row);
        for (Map.Entry<List<String>, List<Map<String, Object>>> g : groups.entrySet()) {
            List<String> keys = g.getKey();
            StringBuilder sql = new StringBuilder("INSERT INTO " + TABLE + " (");
            for (int i = 0; i < keys.size(); i++) sql.append(i == 0 ? "" : ", ").append(quote(spelling.get(keys.get(i))));
            sql.append(") VALUES (").append(String.join(", ", Collections.nCopies(keys.size(), "?"))).append(')');
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (Map<String, Object> row : g.getValue()) {
                    for (int i = 0; i < keys.size(); i++) bind(ps, i + 1, columns.get(keys.get(i)), row.get(keys.get(i)));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private static void bind(PreparedStatement ps, int index, SqlType type, Object v) throws SQLException {
        switch (type) {
            case BOOLEAN -> ps.setBoolean(index, (Boolean) v);
            case BIGINT -> ps.setLong(index, ((Number) v).longValue());
            case DOUBLE -> ps.setDouble(index, ((Number) v).doubleValue());
            case VARCHAR -> ps.setString(index, String.valueOf(v));
        }
    }

    /** Records, inside the caller's transaction, that consumption continues after {@code positions} (any topic). */
    public static void saveOffsets(Connection c, Collection<Position> positions) throws SQLException {
        Map<String, Position> last = new LinkedHashMap<>();
        for (Position p : positions) last.merge(p.topic() + "/" + p.partition(), p, (a, b) -> a.offset() >= b.offset() ? a : b);
        for (Position p : last.values()) {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM topic_offsets WHERE topic = ? AND part = ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO topic_offsets VALUES (?, ?, ?)")) {
                del.setString(1, p.topic());
                del.setInt(2, p.partition());
                del.executeUpdate();
                ins.setString(1, p.topic());
                ins.setInt(2, p.partition());
                ins.setLong(3, p.offset() + 1);
                ins.executeUpdate();
            }
        }
    }

    /** Where consumption of {@code topic} continues, per partition; absent partitions start from the beginning. */
    public Map<Integer, Long> nextOffsets(String topic) {
        return db.with(c -> {
            Map<Integer, Long> m = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT part, next_offset FROM topic_offsets WHERE topic = ?")) {
                ps.setString(1, topic);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) m.put(rs.getInt(1), rs.getLong(2));
                }
            }
            return m;
        });
    }

    /** Column names and types, in table order (a copy). */
    public Map<String, SqlType> columns() {
        return db.with(c -> {
            Map<String, SqlType> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position")) {
                ps.setString(1, TABLE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), SqlType.fromDuckDb(rs.getString(2)));
                }
            }
            return out;
        });
    }

    /** The column's name as the table spells it, if there is one (any case). */
    public java.util.Optional<String> column(String name) {
        return db.with(c -> java.util.Optional.ofNullable(spelling.get(name)));
    }

    public long count() {
        return db.with(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + TABLE)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Runs a read-only query with bound values; rows as maps without nulls. */
    public List<Map<String, Object>> query(String sql, List<?> binds) {
        return db.with(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < binds.size(); i++) ps.setObject(i + 1, binds.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    return Rows.read(rs);
                }
            }
        });
    }

    /** The first column of the first row of a query, as a number (0 when null). */
    public long queryLong(String sql, List<?> binds) {
        return db.with(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < binds.size(); i++) ps.setObject(i + 1, binds.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }
}
