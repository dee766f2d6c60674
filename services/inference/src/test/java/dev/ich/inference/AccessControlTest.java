package dev.ich.inference;

import dev.ich.testkit.quarkus.AccessControlContract;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every operation inference serves is refused without a token and without its role, and passes with it; who may
 * call what is src/test/resources/access-control.txt, the table docs/security.md shows.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class AccessControlTest extends AccessControlContract {
}
