package dev.ich.cli;

import dev.ich.cli.stack.LocalPacs;
import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import dev.ich.cli.stack.StackPorts;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Given a fresh checkout, ./ich up starts real Kafka and S3 that scripts reach through stack.env, and down stops them. */
class LocalStackTest {

    @Test
    void upStartsKafkaS3AndTheIssuerWithTheBucketAndTopicsAndDownStopsThem(@TempDir Path home) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(new StackLayout(home), new PrintStream(printed, true, StandardCharsets.UTF_8));
        StackPorts ports = freePorts();
        try {
            assertThat(stack.up(ports, Duration.ofSeconds(90))).as(printed.toString()).isZero();

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
            assertThat(Files.readString(home.resolve(".ich/logs/infra.log"))).contains("infrastructure ready");
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
            assertThat(printed.toString()).contains("already running");
        } finally {
            printed.reset();
            stack.down();
        }
        assertThat(printed.toString()).contains("stopped infra");
        if (LocalPacs.installed()) assertThat(printed.toString()).contains("stopped orthanc");
        assertThat(stack.running()).isFalse();
        assertThat(stack.status(ports)).isEqualTo(3);
    }

    @Test
    void aBusyPortGetsAClearMessageAndNothingStarts(@TempDir Path home) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(new StackLayout(home), new PrintStream(printed, true, StandardCharsets.UTF_8));
        StackPorts ports = freePorts();
        try (ServerSocket taken = new ServerSocket(0)) {
            ports.kafka = taken.getLocalPort();

            assertThat(stack.up(ports, Duration.ofSeconds(30))).isEqualTo(1);

            assertThat(printed.toString()).contains("port " + taken.getLocalPort() + " for Kafka (--kafka-port)").contains("is in use");
            assertThat(stack.running()).isFalse();
        }
    }

    private static StackPorts freePorts() throws Exception {
        StackPorts p = new StackPorts();
        p.kafka = free();
        p.s3 = free();
        p.httpBase = free();
        p.dimse = free();
        p.oidc = free();
        p.orthancHttp = free();
        p.orthancDicom = free();
        return p;
    }

    private static int free() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
