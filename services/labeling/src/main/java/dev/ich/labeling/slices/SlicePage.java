package dev.ich.labeling.slices;

import java.util.List;
import java.util.Map;

/** One page of the metadata table: {@code total} rows match, {@code rows} are those from {@code offset}. */
public record SlicePage(long total, long offset, int limit, List<Map<String, Object>> rows) {
}
