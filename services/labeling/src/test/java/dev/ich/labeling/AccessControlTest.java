package dev.ich.labeling;

import dev.ich.testkit.quarkus.AccessControlContract;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.Map;
import java.util.Set;

/** Every operation labeling serves is refused without a token and without its role, and passes with it (docs/security.md). */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class AccessControlTest extends AccessControlContract {
    @Override
    protected Map<String, Set<String>> roles() {
        return Map.ofEntries(
                Map.entry("GET /slices", Set.of("ich-reader", "ich-curator")),
                Map.entry("GET /slices/{uid}", Set.of("ich-reader", "ich-curator")),
                Map.entry("GET /slices/{uid}/image", Set.of("ich-reader", "ich-curator")),
                Map.entry("GET /slices/{uid}/cleaned", Set.of("ich-reader", "ich-curator")),
                Map.entry("GET /slices/{uid}/augmentations", Set.of("ich-reader", "ich-curator")),
                Map.entry("GET /slices.parquet", Set.of("ich-reader", "ich-curator")),
                Map.entry("POST /labels", Set.of("ich-curator")),
                Map.entry("GET /labels", Set.of("ich-curator", "ich-reader")),
                Map.entry("GET /labels/{version}", Set.of("ich-curator", "ich-reader")),
                Map.entry("DELETE /labels/{version}", Set.of("ich-admin")),
                Map.entry("POST /datasets", Set.of("ich-curator")),
                Map.entry("GET /datasets", Set.of("ich-curator", "ich-reader", "ich-trainer")),
                Map.entry("GET /datasets/{id}", Set.of("ich-curator", "ich-reader", "ich-trainer")),
                Map.entry("POST /experiments/metadata-baseline", Set.of("ich-curator")),
                Map.entry("GET /experiments", Set.of("ich-curator", "ich-reader")),
                Map.entry("GET /experiments/{id}", Set.of("ich-curator", "ich-reader")),
                Map.entry("GET /exploration", Set.of("ich-reader", "ich-curator")),
                Map.entry("GET /exploration/report", Set.of("ich-reader", "ich-curator")));
    }
}
