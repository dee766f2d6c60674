package dev.ich.ingest;

import dev.ich.testkit.quarkus.AccessMatrix;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every operation ingest serves is refused without a token and without its role, and passes with it (docs/security.md). */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class AccessControlTest {
    static final Map<String, Set<String>> ROLES = Map.ofEntries(
            Map.entry("POST /imports", Set.of("ich-uploader")),
            Map.entry("GET /imports/{id}", Set.of("ich-uploader", "ich-reader")),
            Map.entry("POST /studies", Set.of("ich-uploader")),
            Map.entry("POST /studies/{study}", Set.of("ich-uploader")),
            Map.entry("POST /instances", Set.of("ich-uploader")));

    @TestHTTPResource(value = "/openapi", management = true)
    URI openapi;

    @TestHTTPResource("/")
    URI api;

    @Test
    void everyOperationNeedsATokenWithItsRole() throws Exception {
        assertThat(AccessMatrix.check(openapi, api, ROLES)).isEmpty();
    }
}
