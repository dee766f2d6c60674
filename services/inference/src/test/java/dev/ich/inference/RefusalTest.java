package dev.ich.inference;

import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.OidcTestResource;
import dev.ich.testkit.quarkus.RefusalContract;
import dev.ich.testkit.quarkus.RefusalSweep;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;

/** Every bad request inference is sent, on every operation it serves, is refused with a problem that says why (docs/errors.md). */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(OidcTestResource.class)
@QuarkusTestResource(S3TestResource.class)
class RefusalTest extends RefusalContract {
    /** The Open Inference Protocol's routes answer its own error shape, which KServe and Triton clients read. */
    @Override
    protected List<RefusalSweep.ProtocolShape> protocolShapes() {
        return List.of(new RefusalSweep.ProtocolShape("/v2/", "error"));
    }
}
