package dev.ich.labeling.table;

import dev.ich.labeling.LabelingConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The service's one embedded DuckDB database. One connection behind a lock: DuckDB connections are not
 * safe for concurrent statements, and every statement here takes milliseconds at the data set's size
 * (874k rows), so a single writer/reader queue is simpler than a pool and fast enough.
 */
@Startup
@ApplicationScoped
public class Database {
    @Inject
    LabelingConfig config;

    private final ReentrantLock lock = new ReentrantLock();
    private Connection connection;

    /** What a caller does with the connection while it holds the lock. */
    public interface Work<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    @PostConstruct
    void open() {
        openAt(config.database());
    }

    /** Opens (creating when absent) the file; an in-memory database when the path is {@code :memory:}. */
    public synchronized void openAt(Path file) {
        try {
            String url;
            if (file.toString().equals(":memory:")) {
                url = "jdbc:duckdb:";
            } else {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                url = "jdbc:duckdb:" + file.toAbsolutePath();
            }
            connection = DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the labeling database " + file + ": " + e.getMessage()
                    + " (is another labeling process using it?)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + file, e);
        }
    }

    void close(@Observes ShutdownEvent ignored) {
        lock.lock();
        try {
            if (connection != null) connection.close();
        } catch (SQLException e) {
            // closing at shutdown: nothing left to save; DuckDB's WAL replays at the next start
        } finally {
            connection = null;
            lock.unlock();
        }
    }

    /** Runs {@code work} with the connection, alone. SQL failures become {@link TableException}. */
    public <T> T with(Work<T> work) {
        lock.lock();
        try {
            if (connection == null) throw new TableException("the labeling database is not open");
            return work.run(connection);
        } catch (SQLException e) {
            throw new TableException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #with}, inside one transaction: all or nothing. */
    public <T> T inTransaction(Work<T> work) {
        return with(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        });
    }

    /** Quotes an identifier for SQL (column names come from DICOM keywords and label names; {@code any} is reserved). */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
