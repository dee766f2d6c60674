package dev.ich.cli.stack;

import dev.ich.core.contract.Topics;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import dev.ich.testkit.EmbeddedS3;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Given a running stack, when components die (kill -9) or stop answering, ./ich up brings back exactly those, with
 * their data: topics and offsets, objects, the issuer's signing key. A pid file naming a reused pid is never trusted.
 */
class StackRestartTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void upRestartsOnlyTheKilledComponentsAndTheyKeepTheirData(@TempDir Path dir) throws Exception {
        TestStack test = TestStack.on(dir, "ingest", "cleaning");
        LocalStack stack = test.stack();
        try {
            test.up(Map.of("ICH_CLEANING_PIPELINE_SIZE", "128"));
            ObjectStore store = new ObjectStore(new StorageSettings(test.ports().s3Endpoint(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, "ich"));
            store.put("before.txt", new byte[] {7}, "application/octet-stream", Map.of());
            try (KafkaProducer<String, String> producer = producer(test.ports())) {
                producer.send(new ProducerRecord<>(Topics.AUDIT, "before", "kept")).get();
            }
            String jwks = get(test.ports().issuerUrl() + "/jwks");
            String token = dev.ich.cli.auth.Credentials.local(test.ports().issuerUrl(), "ich-reader").authorization().orElseThrow();
            Map<String, Long> pids = pids(stack);

            // kill -9 of Kafka, S3, the issuer and one service at once: the state infra had died in, with the services up.
            for (String c : List.of("kafka", "s3", "oidc", "cleaning")) kill(stack.process(c).orElseThrow());
            test.forgetPrinted();
            assertThat(stack.status(test.ports())).isEqualTo(1);
            assertThat(test.printed()).containsPattern("kafka +stopped +- ").containsPattern("cleaning +stopped +- ")
                    .containsPattern("ingest +ready +" + pids.get("ingest") + " ");

            test.forgetPrinted();
            assertThat(stack.up(test.ports(), Duration.ofSeconds(90))).as(test.printed()).isZero();

            assertThat(test.printed()).contains("started: s3, kafka, oidc, cleaning; already running: "
                    + (LocalPacs.installed() ? "orthanc, " : "") + "ingest").doesNotContain("in use");
            Map<String, Long> after = pids(stack);
            assertThat(after.get("ingest")).isEqualTo(pids.get("ingest"));
            if (LocalPacs.installed()) assertThat(after.get("orthanc")).isEqualTo(pids.get("orthanc"));
            for (String c : List.of("kafka", "s3", "oidc", "cleaning")) assertThat(after.get(c)).as(c).isNotEqualTo(pids.get(c));
            for (String c : stack.components()) assertThat(stack.healthy(c)).as(c).isTrue();
            // The restarted service got the settings the stack was first started with.
            assertThat(Files.readString(Path.of("/proc/" + after.get("cleaning") + "/environ")).split("\0"))
                    .contains("ICH_CLEANING_PIPELINE_SIZE=128");

            assertThat(store.get("before.txt")).containsExactly(7);
            assertThat(auditKeys(test.ports())).contains("before");
            // Same signing key: tokens issued before the restart stay valid, and services' cached keys with them.
            assertThat(get(test.ports().issuerUrl() + "/jwks")).isEqualTo(jwks);
            assertThat(token).startsWith("Bearer ey");
        } finally {
            stack.down();
        }
    }

    @Test
    void aLiveServiceThatStopsAnsweringIsRestartedAndADeadStackComesBackWhole(@TempDir Path dir) throws Exception {
        TestStack test = TestStack.on(dir, "labeling");
        try {
            test.up(Map.of());
            ProcessHandle stuck = test.stack().process("labeling").orElseThrow();
            signal("STOP", stuck.pid()); // alive, but answers nothing
            assertThat(test.stack().healthy("labeling")).isFalse();

            test.forgetPrinted();
            assertThat(test.stack().up(test.ports(), Duration.ofSeconds(5))).as(test.printed()).isZero();
            assertThat(test.printed()).contains("labeling runs (pid " + stuck.pid() + ") but does not answer yet")
                    .contains("restarting it").contains("started: labeling");
            assertThat(stuck.isAlive()).isFalse();
            assertThat(test.stack().healthy("labeling")).isTrue();

            // Everything killed at once, as a crashed machine leaves it: pid files remain, processes do not.
            for (String c : test.stack().components()) kill(test.stack().process(c).orElseThrow());
            for (String c : test.stack().components()) assertThat(test.stack().process(c)).as(c).isEmpty();
            test.forgetPrinted();
            assertThat(test.stack().up(test.ports(), Duration.ofSeconds(90))).as(test.printed()).isZero();
            for (String c : test.stack().components()) assertThat(test.stack().healthy(c)).as(c).isTrue();
        } finally {
            test.stack().down();
        }
    }

    @Test
    void aPidFileWhoseProcessStartedAtAnotherInstantIsNeverSignalled(@TempDir Path dir) throws Exception {
        Path home = TestStacks.enterable(dir);
        StackLayout layout = new StackLayout(home);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LocalStack stack = new LocalStack(layout, new PrintStream(printed, true, StandardCharsets.UTF_8));
        Process other = new ProcessBuilder("sleep", "300").start();
        try {
            Instant started = other.toHandle().info().startInstant().orElseThrow();
            Files.createDirectories(layout.pids());
            // kafka's pid file names the pid the system has since given to another process
            Files.writeString(layout.pidFile("kafka"), other.pid() + "\n" + started.minusSeconds(3600) + "\n");
            // a pid file of an earlier version, without a start instant
            Files.writeString(layout.pidFile("s3"), other.pid() + "\n");

            assertThat(stack.process("kafka")).isEmpty();
            assertThat(stack.process("s3")).isEmpty();
            assertThat(stack.healthy("kafka")).isFalse();
            assertThat(stack.running()).isFalse();
            assertThat(stack.down()).isZero();
            assertThat(printed.toString()).contains("not running").doesNotContain("stopped");
            assertThat(other.isAlive()).isTrue();

            // The same pid with its true start instant is the stack's process, and down stops it.
            Files.writeString(layout.pidFile("kafka"), other.pid() + "\n" + started + "\n");
            assertThat(stack.process("kafka")).map(ProcessHandle::pid).contains(other.pid());
            printed.reset();
            stack.down();
            assertThat(printed.toString()).contains("stopped kafka (pid " + other.pid() + ")");
            assertThat(other.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            other.destroyForcibly();
        }
    }

    private static Map<String, Long> pids(LocalStack stack) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String c : stack.components()) pids.put(c, stack.process(c).orElseThrow().pid());
        return pids;
    }

    private static void kill(ProcessHandle p) {
        p.destroyForcibly();
        p.onExit().join();
    }

    private static void signal(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static KafkaProducer<String, String> producer(StackPorts ports) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ports.kafkaBootstrap()), new StringSerializer(),
                new StringSerializer());
    }

    private static List<String> auditKeys(StackPorts ports) {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ports.kafkaBootstrap()), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUDIT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) keys.add(r.key());
            }
        }
        return keys;
    }
}
