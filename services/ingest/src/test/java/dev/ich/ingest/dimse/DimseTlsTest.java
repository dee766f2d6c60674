package dev.ich.ingest.dimse;

import dev.ich.ingest.Dcmtk;
import dev.ich.ingest.DimsePortResource;
import dev.ich.ingest.Fixtures;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.ingest.Dcmtk.Run;
import dev.ich.testkit.quarkus.KafkaTestResource;
import dev.ich.testkit.quarkus.S3TestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DIMSE over TLS: a self-signed key and certificate made by openssl, in a PKCS12 key store for the
 * receiver; dcmtk's storescu with {@code +tls} (its default BCP 195 profile) stores through it, and a
 * plain-TCP storescu gets nowhere.
 */
@QuarkusTest
@TestProfile(DimseTlsTest.Tls.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(S3TestResource.class)
@QuarkusTestResource(DimsePortResource.class)
class DimseTlsTest {
    static final String PASSWORD = "tls-test-password";
    static final Path DIR = keys();

    public static class Tls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ich.ingest.dimse.tls.enabled", "true",
                    "ich.ingest.dimse.tls.key-store", DIR.resolve("receiver.p12").toString(),
                    "ich.ingest.dimse.tls.key-store-password", PASSWORD);
        }
    }

    @Test
    void storescuOverTlsStoresAndPlainTcpIsRefused() {
        SliceTruth slice = Fixtures.study(1201).slices().get(0);
        String key = ObjectKeys.raw(slice.studyInstanceUid(), slice.seriesInstanceUid(), slice.sopInstanceUid());

        Run plain = Dcmtk.storescu("STORESCU", "ICH", slice.file().toString());
        assertThat(plain.exit()).as(plain.output()).isNotZero();

        Run tls = Dcmtk.storescu("STORESCU", "ICH", "+tls", DIR.resolve("key.pem").toString(),
                DIR.resolve("cert.pem").toString(), "+cf", DIR.resolve("cert.pem").toString(), slice.file().toString());
        assertThat(tls.exit()).as(tls.output()).isZero();
        assertThat(tls.output()).contains("Received Store Response (Success)");
        await().atMost(Duration.ofSeconds(20)).until(() -> S3TestResource.store().stat(key).isPresent());
    }

    /** A self-signed RSA key and certificate for localhost, and the receiver's PKCS12 key store holding both. */
    private static Path keys() {
        try {
            Path dir = Files.createTempDirectory("ich-dimse-tls");
            Run req = Dcmtk.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString());
            assertThat(req.exit()).as(req.output()).isZero();
            Run p12 = Dcmtk.run("openssl", "pkcs12", "-export", "-in", dir.resolve("cert.pem").toString(), "-inkey",
                    dir.resolve("key.pem").toString(), "-out", dir.resolve("receiver.p12").toString(), "-passout", "pass:" + PASSWORD);
            assertThat(p12.exit()).as(p12.output()).isZero();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
