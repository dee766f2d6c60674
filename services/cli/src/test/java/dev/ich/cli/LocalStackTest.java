package dev.ich.cli;

import dev.ich.cli.stack.LocalPacs;
import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import dev.ich.cli.stack.StackPorts;
import dev.ich.cli.stack.StackUser;
import dev.ich.cli.stack.TestStack;
import dev.ich.cli.stack.TestStacks;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Given a fresh checkout, ./ich up starts real Kafka, S3 and the issuer (each its own process) and the built services,
 * which scripts reach through stack.env; all of it on loopback only and, run as root, as the system user ich; down stops them.
 */
class LocalStackTest {

    @Test
    void upStartsKafkaS3AndTheIssuerWithTheBucketAndTopicsAndDownStopsThem(@TempDir Path dir) throws Exception {
        TestStack test = TestStack.on(dir, "ingest");
        LocalStack stack = test.stack();
        try {
            test.up(Map.of());
            assertThat(test.printed()).contains("started: s3, kafka, oidc" + (LocalPacs.installed() ? ", orthanc" : "") + ", ingest");
            for (String c : stack.components()) {
                assertThat(stack.process(c)).as(c).isPresent();
                assertThat(stack.healthy(c)).as(c).isTrue();
            }

            Map<String, String> env = stack.readStackEnv();
            assertThat(env).containsKeys("KAFKA_BOOTSTRAP", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET");
            ObjectStore store = new ObjectStore(new StorageSettings(env.get("S3_ENDPOINT"), env.get("S3_ACCESS_KEY"),
                    env.get("S3_SECRET_KEY"), env.get("S3_BUCKET")));
            store.put("hello.txt", new byte[] {1, 2, 3}, "application/octet-stream", Map.of());
            assertThat(store.get("hello.txt")).containsExactly(1, 2, 3);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP")))) {
                Set<String> topics = admin.listTopics().names().get();
                assertThat(topics).contains("dicom-ingested", "slices-cleaned", "training-events", "dicom-ingested-dlq", "audit");
            }
            // The stack's issuer serves tokens for its local clients, which is how every ./ich command gets one.
            assertThat(env.get("ICH_AUTH_ISSUER_URL")).isEqualTo("http://localhost:" + test.ports().oidc + "/ich");
            assertThat(dev.ich.cli.auth.Credentials.local(env.get("ICH_AUTH_ISSUER_URL"), "ich-reader").authorization())
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer ey"));
            assertThat(test.home().resolve(".ich/secrets/pseudonym-key")).isRegularFile();
            assertThat(Files.readString(test.home().resolve(".ich/logs/kafka.log"))).contains("kafka ready");
            assertThat(test.home().resolve(".ich/data/oidc/signing-key.json")).isRegularFile();
            assertThat(Files.getPosixFilePermissions(test.home().resolve(".ich/data/oidc/signing-key.json")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

            // Nothing answers on the machine's other addresses (Orthanc cannot bind one address; docs/local-stack.md).
            Optional<InetAddress> other = TestStacks.nonLoopbackAddress();
            if (other.isPresent()) {
                StackPorts p = test.ports();
                for (int port : List.of(p.kafka, p.s3, p.oidc, p.httpBase, p.httpBase + StackPorts.MANAGEMENT_OFFSET)) {
                    assertThat(TestStacks.answers(other.get(), port)).as("port %d on %s", port, other.get()).isFalse();
                    assertThat(TestStacks.answers(InetAddress.getLoopbackAddress(), port)).as("port %d on loopback", port).isTrue();
                }
            }
            if (LocalPacs.installed()) {
                // The local PACS answers its own user only, on loopback; inference will export to it.
                assertThat(env).containsEntry("ORTHANC_URL", "http://127.0.0.1:" + test.ports().orthancHttp).containsKey("ORTHANC_PASSWORD_FILE");
                var http = java.net.http.HttpClient.newHttpClient();
                var system = java.net.URI.create(env.get("ORTHANC_URL") + "/system");
                assertThat(http.send(java.net.http.HttpRequest.newBuilder(system).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
                assertThat(http.send(java.net.http.HttpRequest.newBuilder(system).header("Authorization", new LocalPacs(new StackLayout(test.home()))
                        .authorization()).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body()).contains("\"DicomAet\" : \"ORTHANC\"");
            }

            test.forgetPrinted();
            assertThat(stack.up(test.ports(), Duration.ofSeconds(10))).isZero();
            assertThat(test.printed()).contains("already running").doesNotContain("starting ");
        } finally {
            test.forgetPrinted();
            stack.down();
        }
        assertThat(test.printed()).contains("stopped kafka", "stopped s3", "stopped oidc", "stopped ingest");
        if (LocalPacs.installed()) assertThat(test.printed()).contains("stopped orthanc");
        assertThat(stack.running()).isFalse();
        assertThat(stack.status(test.ports())).isEqualTo(3);
    }

    @Test
    void runAsRootTheStacksProcessesRunAsTheSystemUserIchAndOwnItsData(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(TestStacks.runAsRoot(), "the suite does not run as root: the stack runs as its invoking user");
        TestStack test = TestStack.on(dir, "cleaning");
        LocalStack stack = test.stack();
        try {
            test.up(Map.of());
            for (String c : stack.components()) {
                assertThat(stack.process(c).flatMap(p -> p.info().user())).as("the user of %s", c).contains(StackUser.SYSTEM_USER);
            }
            assertThat(Files.readString(test.home().resolve(".ich/logs/cleaning.log"))).contains("fake service up as uid")
                    .doesNotContain("as uid 0\n");
            assertThat(Files.getOwner(test.home().resolve(".ich/data/kafka")).getName()).isEqualTo(StackUser.SYSTEM_USER);
            assertThat(Files.getOwner(test.home().resolve(".ich/data/oidc/signing-key.json")).getName()).isEqualTo(StackUser.SYSTEM_USER);
            // What a service could use to make root signal another process stays root's.
            assertThat(Files.getOwner(test.home().resolve(".ich/pids")).getName()).isEqualTo("root");
            assertThat(Files.getOwner(test.home().resolve(".ich/secrets/pseudonym-key")).getName()).isEqualTo("root");
        } finally {
            stack.down();
        }
    }

    @Test
    void aBusyPortGetsAClearMessageAndNothingStarts(@TempDir Path dir) throws Exception {
        TestStack test = TestStack.on(dir);
        LocalStack stack = test.stack();
        try (ServerSocket taken = new ServerSocket(0)) {
            test.ports().kafka = taken.getLocalPort();

            assertThat(stack.up(test.ports(), Duration.ofSeconds(30))).isEqualTo(1);

            assertThat(test.printed()).contains("port " + taken.getLocalPort() + " for Kafka (--kafka-port)").contains("is in use");
            assertThat(stack.running()).isFalse();
        }
    }
}
