package dev.ich.labeling.table;

/** The column types a metadata row needs, and how a column widens when a later row disagrees. */
public enum SqlType {
    BOOLEAN, BIGINT, DOUBLE, VARCHAR;

    /** The narrowest type that holds {@code value}: DICOM integers are Long, decimals Double, text String. */
    public static SqlType of(Object value) {
        if (value instanceof Boolean) return BOOLEAN;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) return BIGINT;
        if (value instanceof Number) return DOUBLE;
        return VARCHAR;
    }

    /** A type that holds values of both; integers widen to doubles, anything else mixed becomes text. */
    public SqlType widen(SqlType other) {
        if (this == other) return this;
        if ((this == BIGINT && other == DOUBLE) || (this == DOUBLE && other == BIGINT)) return DOUBLE;
        return VARCHAR;
    }

    /** DuckDB's name of a column type, back to ours ({@code INTEGER}, {@code TINYINT}... count as BIGINT). */
    public static SqlType fromDuckDb(String name) {
        String n = name.toUpperCase(java.util.Locale.ROOT);
        if (n.equals("BOOLEAN")) return BOOLEAN;
        if (n.equals("DOUBLE") || n.equals("FLOAT") || n.startsWith("DECIMAL")) return DOUBLE;
        if (n.endsWith("INT") || n.equals("INTEGER") || n.equals("BIGINT") || n.equals("HUGEINT")) return BIGINT;
        return VARCHAR;
    }

    public boolean numeric() {
        return this == BIGINT || this == DOUBLE;
    }
}
