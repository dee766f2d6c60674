package dev.ich.runtime.audit;

import jakarta.enterprise.context.RequestScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a request touched beyond its path parameters (the UIDs inside a STOW-RS body, the study a prediction read),
 * added by the resource and written into the request's audit record. At most {@value #MAX_PER_KIND} ids per kind
 * are kept, with the count of the rest, so one large upload cannot make one huge record.
 */
@RequestScoped
public class AuditEntities {
    public static final int MAX_PER_KIND = 200;
    private final Map<String, List<String>> byKind = new LinkedHashMap<>();
    private final Map<String, Integer> dropped = new LinkedHashMap<>();

    public void add(String kind, String id) {
        if (id == null || id.isBlank()) return;
        List<String> ids = byKind.computeIfAbsent(kind, k -> new ArrayList<>());
        if (ids.contains(id)) return;
        if (ids.size() < MAX_PER_KIND) ids.add(id);
        else dropped.merge(kind, 1, Integer::sum);
    }

    /** A copy, with "kind.more" entries holding the count of ids left out. */
    Map<String, List<String>> snapshot() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        byKind.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        dropped.forEach((k, n) -> copy.put(k + ".more", List.of(Integer.toString(n))));
        return copy;
    }
}
