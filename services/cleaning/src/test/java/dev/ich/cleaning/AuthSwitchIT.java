package dev.ich.cleaning;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.storage.StorageSettings;
import dev.ich.testkit.EmbeddedS3;
import dev.ich.testkit.QuarkusJar;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The packaged service as a pod runs it: with checks on and no issuer it refuses to start; with ICH_AUTH_ENABLED=false,
 * and only then, it serves anonymous callers and says so in capitals.
 */
class AuthSwitchIT {
    private static final Path JAR = Path.of(System.getProperty("cleaning.jar", "target/quarkus-app/quarkus-run.jar"));
    /** Nothing listens there: the service starts without Kafka or S3 (readiness says so), which is all this test needs. */
    private static final StorageSettings NO_STORAGE = new StorageSettings("http://127.0.0.1:1", EmbeddedS3.ACCESS_KEY,
            EmbeddedS3.SECRET_KEY, ObjectKeys.DEFAULT_BUCKET);

    @Test
    void withoutAnIssuerItRefusesToStartAndWithChecksOffItServesAnyoneAndSaysSo() throws Exception {
        Path work = Files.createTempDirectory("ich-auth-switch");
        Map<String, String> noIssuer = QuarkusJar.connections("127.0.0.1:1", NO_STORAGE);
        noIssuer.remove("ICH_AUTH_ISSUER_URL");
        try (QuarkusJar refused = QuarkusJar.start(JAR, List.of(), noIssuer, work.resolve("no-issuer.log"))) {
            assertThatThrownBy(refused::url).hasMessageContaining("exited");
            // Quarkus OIDC stops it before ich's own check (AuthStartup) runs; ICH_AUTH_ISSUER_URL is what sets that property.
            assertThat(refused.log()).contains("'quarkus.oidc.auth-server-url' property must be configured");
        }

        Map<String, String> open = QuarkusJar.connections("127.0.0.1:1", NO_STORAGE);
        open.remove("ICH_AUTH_ISSUER_URL");
        open.put("ICH_AUTH_ENABLED", "false");
        try (QuarkusJar service = QuarkusJar.start(JAR, List.of(), open, work.resolve("open.log"))) {
            String url = service.url();
            assertThat(service.log()).contains("AUTHENTICATION IS OFF (ICH_AUTH_ENABLED=false): EVERY API OF THIS SERVICE IS OPEN");
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/reprocess/1.2.3"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            // the anonymous request reached the resource (not a 401); runs are read from storage, which is absent here
            assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(503);
            assertThat(anonymous.body()).contains("\"code\":\"StorageUnavailable\"");
        }
    }
}
