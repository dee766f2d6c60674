package dev.ich.training;

import dev.ich.testkit.quarkus.AccessControlContract;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.Map;
import java.util.Set;

/** Every operation training serves is refused without a token and without its role, and passes with it (docs/security.md). */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class AccessControlTest extends AccessControlContract {
    @Override
    protected Map<String, Set<String>> roles() {
        return Map.ofEntries(
                Map.entry("POST /jobs", Set.of("ich-trainer")),
                Map.entry("GET /jobs", Set.of("ich-trainer", "ich-reader")),
                Map.entry("GET /jobs/{id}", Set.of("ich-trainer", "ich-reader")),
                Map.entry("DELETE /jobs/{id}", Set.of("ich-trainer")),
                Map.entry("GET /jobs/{id}/events", Set.of("ich-trainer", "ich-reader")),
                Map.entry("GET /jobs/{id}/report", Set.of("ich-trainer")),
                Map.entry("GET /jobs/{id}/files/{name}", Set.of("ich-trainer")),
                Map.entry("GET /jobs/{id}/log", Set.of("ich-trainer")),
                Map.entry("GET /models", Set.of("ich-reader", "ich-trainer", "ich-model-admin")),
                Map.entry("GET /models/{name}", Set.of("ich-reader", "ich-trainer", "ich-model-admin")),
                Map.entry("POST /models/{name}/versions/{version}/promote", Set.of("ich-model-admin")));
    }
}
