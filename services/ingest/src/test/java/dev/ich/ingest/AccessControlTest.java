package dev.ich.ingest;

import dev.ich.testkit.quarkus.AccessControlContract;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.Map;
import java.util.Set;

/** Every operation ingest serves is refused without a token and without its role, and passes with it (docs/security.md). */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class AccessControlTest extends AccessControlContract {
    @Override
    protected Map<String, Set<String>> roles() {
        return Map.ofEntries(
                Map.entry("POST /imports", Set.of("ich-uploader")),
                Map.entry("GET /imports/{id}", Set.of("ich-uploader", "ich-reader")),
                Map.entry("POST /studies", Set.of("ich-uploader")),
                Map.entry("POST /studies/{study}", Set.of("ich-uploader")),
                Map.entry("POST /instances", Set.of("ich-uploader")),
                // DICOMweb QIDO-RS and WADO-RS read patient data: clinicians and curators
                Map.entry("GET /studies", Set.of("ich-clinician", "ich-curator")),
                Map.entry("GET /studies/{study}/series", Set.of("ich-clinician", "ich-curator")),
                Map.entry("GET /studies/{study}/series/{series}/instances", Set.of("ich-clinician", "ich-curator")),
                Map.entry("GET /studies/{study}/instances", Set.of("ich-clinician", "ich-curator")),
                Map.entry("GET /series", Set.of("ich-clinician", "ich-curator")),
                Map.entry("GET /instances", Set.of("ich-clinician", "ich-curator")),
                Map.entry("GET /studies/{study}", Set.of("ich-clinician", "ich-curator")),
                Map.entry("GET /studies/{study}/series/{series}", Set.of("ich-clinician", "ich-curator")),
                Map.entry("GET /studies/{study}/series/{series}/instances/{instance}", Set.of("ich-clinician", "ich-curator")),
                Map.entry("GET /studies/{study}/metadata", Set.of("ich-clinician", "ich-curator")),
                Map.entry("GET /studies/{study}/series/{series}/metadata", Set.of("ich-clinician", "ich-curator")),
                Map.entry("GET /studies/{study}/series/{series}/instances/{instance}/metadata",
                        Set.of("ich-clinician", "ich-curator")));
    }
}
