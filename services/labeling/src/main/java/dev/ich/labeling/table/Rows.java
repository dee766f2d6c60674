package dev.ich.labeling.table;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Result sets as JSON-ready maps: nulls left out (most DICOM columns are null for most rows). */
public final class Rows {
    private Rows() {
    }

    public static List<Map<String, Object>> read(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, Object>> out = new ArrayList<>();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                Object v = rs.getObject(i);
                if (v == null) continue;
                if (v instanceof Number || v instanceof Boolean || v instanceof String) row.put(md.getColumnLabel(i), v);
                else row.put(md.getColumnLabel(i), v.toString());
            }
            out.add(row);
        }
        return out;
    }
}
