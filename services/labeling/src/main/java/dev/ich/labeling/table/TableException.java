package dev.ich.labeling.table;

/** A statement on the embedded database failed; the message is DuckDB's. */
public class TableException extends RuntimeException {
    public TableException(String message) {
        super(message);
    }

    public TableException(String message, Throwable cause) {
        super(message, cause);
    }
}
