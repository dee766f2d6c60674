package dev.ich.labeling.labels;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.Events;
import dev.ich.core.label.Label;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.core.storage.StoredObject;
import dev.ich.core.storage.VersionCounter;
import dev.ich.labeling.LabelingConfig;
import dev.ich.labeling.table.Database;
import dev.ich.labeling.table.SliceTable;
import dev.ich.runtime.problem.ApiProblem;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static dev.ich.labeling.table.Database.quote;

/**
 * Label versions: every upload becomes a new version, numbered above every version ever given (deleted ones too:
 * {@link VersionCounter}), and never changes. The table {@code labels} holds
 * {@code (version, slice_id, <six labels>)}; storage holds each version as {@code labels/v<N>/labels.parquet}
 * and {@code report.json}, so a labeling service on a fresh volume gets every version back at start.
 * {@code @Startup}: an application-scoped bean is otherwise created at its first call, and {@code GET /slices}
 * without labels never makes one, so a fresh volume would lack its labels until someone asked for them.
 */
@Startup
@ApplicationScoped
public class LabelStore {
    private static final Logger LOG = Logger.getLogger(LabelStore.class);

    @Inject
    Database db;

    @Inject
    SliceTable slices;

    @Inject
    ObjectStore store;

    @Inject
    LabelingConfig config;

    @PostConstruct
    void create() {
        db.with(c -> {
            try (Statement s = c.createStatement()) {
                StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS labels (version INTEGER, slice_id VARCHAR");
                for (Label l : Label.values()) ddl.append(", ").append(quote(l.csvName())).append(" TINYINT");
                s.execute(ddl.append(')').toString());
                s.execute("CREATE TABLE IF NOT EXISTS label_versions (version INTEGER, created_at VARCHAR, report VARCHAR)");
            }
            return null;
        });
        try {
            restore();
        } catch (StorageException e) {
            LOG.warnf("label versions in storage not checked at start (%s); they are restored on the next upload or start",
                    e.getMessage());
        }
    }

    /** Loads versions that storage has and the database lacks (a fresh volume, or another replica's upload). */
    public synchronized void restore() {
        TreeSet<Integer> local = new TreeSet<>(versions());
        for (int v : storedVersions()) {
            if (local.contains(v)) continue;
            try {
                Path tmp = Files.createTempFile("ich-labels-v" + v, ".parquet");
                try {
                    Files.write(tmp, store.get(ObjectKeys.labels(v) + "labels.parquet"));
                    String report = new String(store.get(ObjectKeys.labels(v) + "report.json"), StandardCharsets.UTF_8);
                    db.inTransaction(c -> {
                        try (Statement s = c.createStatement()) {
                            s.execute("INSERT INTO labels SELECT * FROM read_parquet('" + tmp.toAbsolutePath().toString().replace("'", "''") + "')");
                        }
                        insertVersion(c, v, Events.JSON.readValue(report, LabelImportReport.class).createdAt(), report);
                        return null;
                    });
                    LOG.infof("label version %d restored from storage", v);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new StorageException("cannot restore label version " + v + ": " + e.getMessage(), e);
            }
        }
    }

    private List<Integer> storedVersions() {
        TreeSet<Integer> out = new TreeSet<>();
        for (StoredObject o : store.list(ObjectKeys.LABELS_PREFIX)) {
            String rest = o.key().substring(ObjectKeys.LABELS_PREFIX.length());
            if (rest.startsWith("v") && rest.endsWith("/report.json")) {
                try {
                    out.add(Integer.parseInt(rest.substring(1, rest.indexOf('/'))));
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Parses, stores and persists one upload; the answer says what was wrong in it. */
    public synchronized LabelImportReport importCsv(InputStream csv, String source) throws IOException {
        long t0 = System.nanoTime();
        LabelCsvParser.Parsed parsed = LabelCsvParser.parse(csv);
        restore(); // numbering must see every version any replica already stored
        int version = claimVersion();
        Instant created = Instant.now();
        long positives = parsed.complete().values().stream().filter(v -> v[Label.ANY.ordinal()] == 1).count();
        Path parquet = Files.createTempFile("ich-labels-v" + version, ".parquet");
        try {
            Missing notIngested = db.inTransaction(c -> {
                append(c, version, parsed.complete());
                try (Statement s = c.createStatement()) {
                    s.execute("COPY (SELECT * FROM labels WHERE version = " + version + ") TO '"
                            + parquet.toAbsolutePath().toString().replace("'", "''") + "' (FORMAT PARQUET)");
                }
                return notIngested(c, version);
            });
            List<LabelImportReport.Problem> problems = problems(parsed, notIngested.count, notIngested.examples);
            LabelImportReport report = new LabelImportReport(version, source, created, parsed.rows(), parsed.duplicates(),
                    parsed.complete().size(), positives, problems, (System.nanoTime() - t0) / 1e9);
            String json = Events.JSON.writeValueAsString(report);
            // Storage first: a version that exists only in one replica's database would be renumbered by another.
            try {
                store.putFile(ObjectKeys.labels(version) + "labels.parquet", parquet, "application/vnd.apache.parquet");
                store.put(ObjectKeys.labels(version) + "report.json", json.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
            } catch (StorageException e) {
                db.inTransaction(c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("DELETE FROM labels WHERE version = " + version);
                    }
                    return null;
                });
                throw ApiProblem.unavailable("StorageUnavailable", "labels parsed but not saved, object storage failed: " + e.getMessage()
                        + "; nothing was stored, upload again when storage is back");
            }
            db.inTransaction(c -> {
                insertVersion(c, version, created, json);
                return null;
            });
            return report;
        } finally {
            Files.deleteIfExists(parquet);
        }
    }

    /**
     * The next version number, above every number ever given (the bucket's high-water mark), not only above those that
     * still exist: a deleted version's number stays taken, since datasets and reports name it. 503 when storage fails.
     */
    private int claimVersion() {
        int present = Math.max(versions().stream().mapToInt(Integer::intValue).max().orElse(0),
                storedVersions().stream().mapToInt(Integer::intValue).max().orElse(0));
        try {
            return VersionCounter.in(store, ObjectKeys.LABELS_HIGH_WATER).claim(present);
        } catch (StorageException e) {
            throw ApiProblem.unavailable("StorageUnavailable", "labels parsed but not saved, object storage failed while numbering "
                    + "the version: " + e.getMessage() + "; nothing was stored, upload again when storage is back");
        }
    }

    private static void append(Connection c, int version, Map<String, byte[]> rows) throws SQLException {
        try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "labels")) {
            for (Map.Entry<String, byte[]> e : rows.entrySet()) {
                a.beginRow();
                a.append(version);
                a.append(e.getKey());
                for (byte b : e.getValue()) a.append(b);
                a.endRow();
            }
        }
    }

    private record Missing(long count, List<String> examples) {
    }

    private static Missing notIngested(Connection c, int version) throws SQLException {
        String from = " FROM labels l WHERE l.version = " + version
                + " AND NOT EXISTS (SELECT 1 FROM " + SliceTable.TABLE + " s WHERE s." + SliceTable.SLICE_ID + " = l.slice_id)";
        long count;
        List<String> examples = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*)" + from)) {
                rs.next();
                count = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT l.slice_id" + from + " ORDER BY l.slice_id LIMIT " + LabelCsvParser.EXAMPLES)) {
                while (rs.next()) examples.add(rs.getString(1));
            }
        }
        return new Missing(count, examples);
    }

    private static List<LabelImportReport.Problem> problems(LabelCsvParser.Parsed parsed, long notIngested, List<String> examples) {
        List<LabelImportReport.Problem> out = new ArrayList<>();
        for (LabelProblem kind : LabelProblem.values()) {
            long n = kind == LabelProblem.NOT_INGESTED ? notIngested : parsed.counts().getOrDefault(kind, 0L);
            if (n == 0) continue;
            List<String> ex = kind == LabelProblem.NOT_INGESTED ? examples : parsed.examples().getOrDefault(kind, List.of());
            out.add(new LabelImportReport.Problem(kind, kind.meaning(), n, List.copyOf(ex)));
        }
        return out;
    }

    private static void insertVersion(Connection c, int version, Instant created, String json) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO label_versions VALUES (?, ?, ?)")) {
            ps.setInt(1, version);
            ps.setString(2, created.toString());
            ps.setString(3, json);
            ps.executeUpdate();
        }
    }

    /** Every version, oldest first. */
    public List<Integer> versions() {
        return db.with(c -> {
            List<Integer> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM label_versions ORDER BY version")) {
                while (rs.next()) out.add(rs.getInt(1));
            }
            return out;
        });
    }

    public Optional<Integer> latest() {
        List<Integer> v = versions();
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /** The given version, or the latest when null; 404 when there is none. */
    public int require(Integer version) {
        if (version == null) {
            return latest().orElseThrow(() -> ApiProblem.notFound("no labels uploaded yet: POST the RSNA label CSV to /labels "
                    + "(or ./ich labels FILE.csv)"));
        }
        if (!versions().contains(version)) {
            throw ApiProblem.notFound("no label version " + version + "; versions: " + versions());
        }
        return version;
    }

    public Optional<LabelImportReport> report(int version) {
        return db.with(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT report FROM label_versions WHERE version = ?")) {
                ps.setInt(1, version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    return Optional.of(Events.JSON.readValue(rs.getString(1), LabelImportReport.class));
                }
            }
        });
    }

    /**
     * Removes a version everywhere (storage first, so a restart cannot bring it back). Versions never change,
     * but one uploaded by mistake (or by ./ich bench labels) should not stay the latest. Its number stays taken:
     * the high-water mark is not touched, so the next upload gets a new number.
     */
    public synchronized void delete(int version) {
        require(version);
        for (StoredObject o : store.list(ObjectKeys.labels(version))) store.delete(o.key());
        db.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM labels WHERE version = " + version);
                s.execute("DELETE FROM label_versions WHERE version = " + version);
            }
            return null;
        });
    }
}
