package dev.ich.cleaning;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import dev.ich.testkit.EmbeddedKafka;
import dev.ich.testkit.EmbeddedS3;
import dev.ich.testkit.QuarkusJar;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ich.cleaning.CleaningProcess.CLEANING;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Given the packaged service started while storage is down, then it says so on readiness and dead-letters
 * what it cannot read after its retries; when storage comes back it is ready again and cleans the next event
 * without a restart.
 */
class StorageOutageIT {

    @Test
    void storageDownDeadLettersAfterRetriesAndTheServiceRecoversByItself() throws Exception {
        Path work = Files.createTempDirectory("ich-storage-outage");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        StorageSettings storage = new StorageSettings("http://127.0.0.1:" + port, EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY,
                ObjectKeys.DEFAULT_BUCKET);
        List<SliceTruth> slices = PhantomUploads.generate(1, 6, 97, false).slices();
        SliceTruth during = slices.get(2), after = slices.get(3);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, false)) {
            kafka.createTopics(List.of(Topics.all()), Set.of(Topics.SLICES_CLEANED), 2);
            Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
            try (QuarkusJar service = CLEANING.start(kafka.bootstrapServers(), storage, work.resolve("service.log"));
                 KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(), new StringSerializer())) {
                String url = service.managementUrl();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(url).get("/q/health/ready")
                        .then().statusCode(503).body("checks.find { it.name == 'object storage' }.status", equalTo("DOWN")));

                String rawDuring = PhantomUploads.rawKey(during);
                producer.send(new ProducerRecord<>(Topics.DICOM_INGESTED, during.sopInstanceUid(),
                        Events.JSON.writeValueAsString(PhantomUploads.event(during, rawDuring, "00", 1)))).get();
                ConsumerRecord<String, String> dead = await().atMost(Duration.ofSeconds(60))
                        .until(() -> first(client, Topics.deadLetter(Topics.DICOM_INGESTED), during.sopInstanceUid()), r -> r != null);
                assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                        .contains("storage unreachable after 3 attempts to read " + rawDuring);

                try (EmbeddedS3 s3 = EmbeddedS3.start(work.resolve("s3"), port)) {
                    ObjectStore store = new ObjectStore(storage);
                    store.ensureBucket();
                    producer.send(new ProducerRecord<>(Topics.DICOM_INGESTED, after.sopInstanceUid(),
                            Events.JSON.writeValueAsString(PhantomUploads.upload(store, after)))).get();
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> first(client, Topics.SLICES_CLEANED, after.sopInstanceUid()), r -> r != null);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(url).get("/q/health/ready")
                            .then().statusCode(200));
                }
            }
        }
    }

    /** The first record with this key on the topic, or null (a fresh reader from the beginning each call). */
    private static ConsumerRecord<String, String> first(Map<String, Object> client, String topic, String key) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(client, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            c.poll(Duration.ofMillis(500)).forEach(all::add);
            return all.stream().filter(r -> key.equals(r.key())).findFirst().orElse(null);
        }
    }
}
