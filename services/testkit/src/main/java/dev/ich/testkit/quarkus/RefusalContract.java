package dev.ich.testkit.quarkus;

import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refusal test every service runs ({@link RefusalSweep}): a service's {@code @QuarkusTest} extends this, and names
 * the paths whose errors a protocol shapes, if it has any.
 */
public abstract class RefusalContract {
    @TestHTTPResource(value = "/openapi", management = true)
    URI openapi;

    @TestHTTPResource("/")
    URI api;

    /** Paths that answer a protocol's own error body instead of a problem (none unless a service says so). */
    protected List<RefusalSweep.ProtocolShape> protocolShapes() {
        return List.of();
    }

    @Test
    void everyBadRequestIsRefusedWithAProblemThatSaysWhy() throws Exception {
        List<RefusalSweep.Finding> findings = RefusalSweep.check(openapi, api, protocolShapes());
        assertThat(RefusalSweep.byProbe(findings)).as("%d bad requests not refused with a reason", findings.size()).isEmpty();
    }
}
