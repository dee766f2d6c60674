package dev.ich.cli;

import dev.ich.cli.stack.FakeService;
import dev.ich.cli.stack.LocalPacs;
import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import dev.ich.cli.stack.StackPorts;
import dev.ich.cli.stack.StackUser;
import dev.ich.cli.stack.TestStacks;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
        Path home = TestStacks.enterable(dir);
        FakeService.installAs(home, "ingest");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(new StackLayout(home), new PrintStream(printed, true, StandardCharsets.UTF_8));
        StackPorts ports = TestStacks.freePorts();
        try {
            assertThat(stack.up(ports, Duration.ofSeconds(90))).as(printed.toString()).isZero();
            assertThat(printed.toString()).contains("started: s3, kafka, oidc" + (LocalPacs.installed() ? ", orthanc" : "") + ", ingest");
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
            assertThat(env.get("ICH_AUTH_ISSUER_URL")).isEqualTo("http://localhost:" + ports.oidc + "/ich");
            assertThat(dev.ich.cli.auth.Credentials.local(env.get("ICH_AUTH_ISSUER_URL"), "ich-reader").authorization())
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer ey"));
            assertThat(home.resolve(".ich/secrets/pseudonym-key")).isRegularFile();
            assertThat(Files.readString(home.resolve(".ich/logs/kafka.log"))).contains("kafka ready");
            assertThat(home.resolve(".ich/data/oidc/signing-key.json")).isRegularFile();
            assertThat(Files.getPosixFilePermissions(home.resolve(".ich/data/oidc/signing-key.json")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

            // Nothing answers on the machine's other addresses (Orthanc cannot bind one address; docs/local-stack.md).
            Optional<InetAddress> other = TestStacks.nonLoopbackAddress();
            if (other.isPresent()) {
                for (int port : List.of(ports.kafka, ports.s3, ports.oidc, ports.httpBase, ports.httpBase + StackPorts.MANAGEMENT_OFFSET)) {
                    assertThat(TestStacks.answers(other.get(), port)).as("port %d on %s", port, other.get()).isFalse();
                    assertThat(TestStacks.answers(InetAddress.getLoopbackAddress(), port)).as("port %d on loopback", port).isTrue();
                }
            }
            if (LocalPacs.installed()) {
                // The local PACS answers its own user only, on loopback; inference will export to it.
                assertThat(env).containsEntry("ORTHANC_URL", "http://127.0.0.1:" + ports.orthancHttp).containsKey("ORTHANC_PASSWORD_FILE");
                var http = java.net.http.HttpClient.newHttpClient();
                var system = java.net.URI.create(env.get("ORTHANC_URL") + "/system");
                assertThat(http.send(java.net.http.HttpRequest.newBuilder(system).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
                assertThat(http.send(java.net.http.HttpRequest.newBuilder(system).header("Authorization", new LocalPacs(new StackLayout(home))
                        .authorization()).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body()).contains("\"DicomAet\" : \"ORTHANC\"");
            }

            printed.reset();
            assertThat(stack.up(ports, Duration.ofSeconds(10))).isZero();
            assertThat(printed.toString()).contains("already running").doesNotContain("starting ");
        } finally {
            printed.reset();
            stack.down();
        }
        assertThat(printed.toString()).contains("stopped kafka", "stopped s3", "stopped oidc", "stopped ingest");
        if (LocalPacs.installed()) assertThat(printed.toString()).contains("stopped orthanc");
        assertThat(stack.running()).isFalse();
        assertThat(stack.status(ports)).isEqualTo(3);
    }

    @Test
    void runAsRootTheStacksProcessesRunAsTheSystemUserIchAndOwnItsData(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(TestStacks.runAsRoot(), "the suite does not run as root: the stack runs as its invoking user");
        Path home = TestStacks.enterable(dir);
        FakeService.installAs(home, "cleaning");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(new StackLayout(home), new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(stack.up(TestStacks.freePorts(), Duration.ofSeconds(90))).as(printed.toString()).isZero();
            for (String c : stack.components()) {
                assertThat(stack.process(c).flatMap(p -> p.info().user())).as("the user of %s", c).contains(StackUser.SYSTEM_USER);
            }
            assertThat(Files.readString(home.resolve(".ich/logs/cleaning.log"))).contains("fake service up as uid")
                    .doesNotContain("as uid 0\n");
            assertThat(Files.getOwner(home.resolve(".ich/data/kafka")).getName()).isEqualTo(StackUser.SYSTEM_USER);
            assertThat(Files.getOwner(home.resolve(".ich/data/oidc/signing-key.json")).getName()).isEqualTo(StackUser.SYSTEM_USER);
            // What a service could use to make root signal another process stays root's.
            assertThat(Files.getOwner(home.resolve(".ich/pids")).getName()).isEqualTo("root");
            assertThat(Files.getOwner(home.resolve(".ich/secrets/pseudonym-key")).getName()).isEqualTo("root");
        } finally {
            stack.down();
        }
    }

    @Test
    void aBusyPortGetsAClearMessageAndNothingStarts(@TempDir Path dir) throws Exception {
        Path home = TestStacks.enterable(dir);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(new StackLayout(home), new PrintStream(printed, true, StandardCharsets.UTF_8));
        StackPorts ports = TestStacks.freePorts();
        try (ServerSocket taken = new ServerSocket(0)) {
            ports.kafka = taken.getLocalPort();

            assertThat(stack.up(ports, Duration.ofSeconds(30))).isEqualTo(1);

            assertThat(printed.toString()).contains("port " + taken.getLocalPort() + " for Kafka (--kafka-port)").contains("is in use");
            assertThat(stack.running()).isFalse();
        }
    }
}
