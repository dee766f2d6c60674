package dev.ich.testkit.quarkus;

import dev.ich.testkit.openapi.OpenApiContract;
import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drift test every service runs: a service's {@code @QuarkusTest} extends this and calls each of its operations
 * for real, with requests that succeed and requests it refuses; every answer is held to the service's own
 * {@code /q/openapi} ({@link OpenApiContract}), and an operation of the document nobody called fails the test too.
 * Afterwards the service's metrics are held to docs/metrics.md ({@link MetricsDocumentation}).
 */
public abstract class OpenApiDriftContract {
    @TestHTTPResource(value = "/openapi", management = true)
    URI openapi;

    private OpenApiContract contract;

    /** Calls every operation of the service through RestAssured, asserting what each answers. */
    protected abstract void callEveryOperation() throws Exception;

    /** Operations of resources only the module's tests serve (the application never does), which need no call. */
    protected boolean servedOnlyInTests(String operation) {
        return false;
    }

    @BeforeEach
    void holdToTheDocument() {
        contract = OpenApiContract.install(openapi);
    }

    @AfterEach
    void release() {
        contract.uninstall();
    }

    @Test
    void everyOperationAnswersAsItsDocumentSays() throws Exception {
        callEveryOperation();
        assertThat(contract.notExercised().stream().filter(op -> !servedOnlyInTests(op)))
                .as("operations of the document no request called").isEmpty();
        // every operation has run, so the meters it registers exist: each must be on docs/metrics.md (the scrape is a
        // management call, no operation of the document: the contract is released first)
        contract.uninstall();
        assertThat(MetricsDocumentation.undocumented()).as("ich_ metrics this service shows that docs/metrics.md does not name")
                .isEmpty();
    }
}
