package dev.ich.cleaning;

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

/** Every operation cleaning serves is refused without a token and without its role, and passes with it (docs/security.md). */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class AccessControlTest {
    static final Map<String, Set<String>> ROLES = Map.of(
            "POST /reprocess", Set.of("ich-curator"),
            "GET /reprocess/{id}", Set.of("ich-curator", "ich-reader"),
            "POST /pipelines/bins", Set.of("ich-curator"));

    @TestHTTPResource(value = "/openapi", management = true)
    URI openapi;

    @TestHTTPResource("/")
    URI api;

    @Test
    void everyOperationNeedsATokenWithItsRole() throws Exception {
        assertThat(AccessMatrix.check(openapi, api, ROLES)).isEmpty();
    }
}
