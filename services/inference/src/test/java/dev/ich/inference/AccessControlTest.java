package dev.ich.inference;

import dev.ich.testkit.quarkus.AccessControlContract;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.Map;
import java.util.Set;

/** Every operation inference serves is refused without a token and without its role, and passes with it (docs/security.md). */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class AccessControlTest extends AccessControlContract {
    @Override
    protected Map<String, Set<String>> roles() {
        return Map.ofEntries(
                Map.entry("POST /predict", Set.of("ich-clinician")),
                Map.entry("POST /predict/study", Set.of("ich-clinician")),
                Map.entry("POST /bench/forward", Set.of("ich-admin")),
                Map.entry("GET /export/status", Set.of("ich-clinician", "ich-reader")),
                Map.entry("GET /triage", Set.of("ich-clinician")),
                Map.entry("GET /triage/{study}", Set.of("ich-clinician")),
                Map.entry("GET /triage/{study}/pictures/{sop}/{label}/{kind}", Set.of("ich-clinician")),
                Map.entry("GET /v2", Set.of("ich-clinician", "ich-reader")),
                Map.entry("GET /v2/health/live", Set.of("ich-clinician", "ich-reader")),
                Map.entry("GET /v2/health/ready", Set.of("ich-clinician", "ich-reader")),
                Map.entry("GET /v2/models/{model}/ready", Set.of("ich-clinician", "ich-reader")),
                Map.entry("GET /v2/models/{model}", Set.of("ich-clinician", "ich-reader")),
                Map.entry("GET /v2/models/{model}/versions/{version}", Set.of("ich-clinician", "ich-reader")),
                Map.entry("POST /v2/models/{model}/infer", Set.of("ich-clinician")),
                Map.entry("POST /v2/models/{model}/versions/{version}/infer", Set.of("ich-clinician")));
    }
}
