package dev.ich.testkit.quarkus;

import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access test every service runs ({@link AccessMatrix}): a service's {@code @QuarkusTest} extends this, and its
 * {@value #TABLE} (in {@code src/test/resources}) names the roles of each operation it serves, the table
 * docs/security.md shows. One operation a line, {@code METHOD /path/{param} role role...}; {@code #} starts a
 * comment; ich-admin is implied.
 */
public abstract class AccessControlContract {
    /** The service's table on the test class path. */
    public static final String TABLE = "access-control.txt";

    @TestHTTPResource(value = "/openapi", management = true)
    URI openapi;

    @TestHTTPResource("/")
    URI api;

    @Test
    void everyOperationNeedsATokenWithItsRole() throws Exception {
        assertThat(AccessMatrix.check(openapi, api, table(getClass()))).isEmpty();
    }

    /** {@code "METHOD /path/{param}"} to the roles that may call it, as the table next to {@code test} lists them. */
    static Map<String, Set<String>> table(Class<?> test) throws IOException {
        try (InputStream in = test.getClassLoader().getResourceAsStream(TABLE)) {
            if (in == null) throw new IllegalStateException("no " + TABLE + " on the test class path: src/test/resources/" + TABLE);
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        }
    }

    static Map<String, Set<String>> parse(List<String> lines) {
        Map<String, Set<String>> roles = new LinkedHashMap<>();
        for (String line : lines) {
            String text = line.replaceFirst("#.*", "").trim();
            if (text.isEmpty()) continue;
            String[] words = text.split("\\s+");
            if (words.length < 3) throw new IllegalArgumentException(TABLE + ": want METHOD /path role..., not '" + line + "'");
            String operation = words[0] + " " + words[1];
            Set<String> allowed = new LinkedHashSet<>(Arrays.asList(words).subList(2, words.length));
            if (roles.put(operation, Set.copyOf(allowed)) != null) throw new IllegalArgumentException(TABLE + ": " + operation + " twice");
        }
        return roles;
    }
}
