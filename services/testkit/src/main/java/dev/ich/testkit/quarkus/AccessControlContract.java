package dev.ich.testkit.quarkus;

import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access test every service runs ({@link AccessMatrix}): a service's {@code @QuarkusTest} extends this and names
 * the roles of each operation it serves, the table docs/security.md shows.
 */
public abstract class AccessControlContract {
    @TestHTTPResource(value = "/openapi", management = true)
    URI openapi;

    @TestHTTPResource("/")
    URI api;

    /** {@code "METHOD /path/{param}"} to the roles that may call it; ich-admin is implied. */
    protected abstract Map<String, Set<String>> roles();

    @Test
    void everyOperationNeedsATokenWithItsRole() throws Exception {
        assertThat(AccessMatrix.check(openapi, api, roles())).isEmpty();
    }
}
