package dev.ich.runtime.security;

import dev.ich.core.contract.Roles;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A site's groups (or IdP roles) to ich roles, parsed from {@code role=group|group;role=group}, plus the one built-in
 * implication: {@link Roles#ADMIN} holds every role.
 */
public final class RoleMap {
    private final Map<String, Set<String>> groupsByRole;

    private RoleMap(Map<String, Set<String>> groupsByRole) {
        this.groupsByRole = groupsByRole;
    }

    public static RoleMap parse(String text) {
        Map<String, Set<String>> map = new LinkedHashMap<>();
        if (text == null || text.isBlank()) return new RoleMap(map);
        for (String entry : text.split(";")) {
            if (entry.isBlank()) continue;
            int eq = entry.indexOf('=');
            String role = eq < 0 ? "" : entry.substring(0, eq).trim();
            if (!Roles.ALL.contains(role)) {
                throw new IllegalArgumentException("ICH_AUTH_ROLE_MAP: '" + entry.trim() + "' does not start with an ich role and '=' ("
                        + String.join(", ", Roles.ALL) + "); the form is ich-admin=group-a|group-b;ich-uploader=pacs");
            }
            Set<String> groups = map.computeIfAbsent(role, r -> new LinkedHashSet<>());
            for (String g : entry.substring(eq + 1).split("\\|")) if (!g.isBlank()) groups.add(g.trim());
        }
        return new RoleMap(map);
    }

    /** The ich roles a caller with these token roles holds. */
    public Set<String> ichRoles(Collection<String> tokenRoles) {
        Set<String> held = new LinkedHashSet<>();
        for (String r : tokenRoles) if (Roles.ALL.contains(r)) held.add(r);
        groupsByRole.forEach((role, groups) -> {
            if (groups.stream().anyMatch(tokenRoles::contains)) held.add(role);
        });
        if (held.contains(Roles.ADMIN)) held.addAll(Roles.ALL);
        return held;
    }

    public Map<String, Set<String>> asMap() {
        return Map.copyOf(groupsByRole);
    }

    List<String> mappedRoles() {
        return List.copyOf(groupsByRole.keySet());
    }
}
