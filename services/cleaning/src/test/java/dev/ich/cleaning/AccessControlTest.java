package dev.ich.cleaning;

import dev.ich.testkit.quarkus.AccessControlContract;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.Map;
import java.util.Set;

/** Every operation cleaning serves is refused without a token and without its role, and passes with it (docs/security.md). */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class AccessControlTest extends AccessControlContract {
    @Override
    protected Map<String, Set<String>> roles() {
        return Map.of(
                "POST /reprocess", Set.of("ich-curator"),
                "GET /reprocess/{id}", Set.of("ich-curator", "ich-reader"),
                "POST /pipelines/bins", Set.of("ich-curator"),
                // test-only probes of ProblemShapeTest (src/test): served in this application, so checked like the rest
                "GET /test-problems/api-problem", Set.of("ich-reader"),
                "GET /test-problems/internal", Set.of("ich-reader"),
                "GET /test-problems/bare", Set.of("ich-reader"),
                "GET /test-problems/typed-query", Set.of("ich-reader"),
                "POST /test-problems/dicom", Set.of("ich-reader"));
    }
}
