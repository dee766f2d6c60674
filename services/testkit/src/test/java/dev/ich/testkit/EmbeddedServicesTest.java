package dev.ich.testkit;

import dev.ich.core.contract.Topics;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import dev.ich.core.storage.StoredObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded services are real: the project's own clients talk to them as to MinIO and Kafka. */
class EmbeddedServicesTest {

    @Test
    void theObjectStoreRoundTripsBytesAndMetadataThroughS3Proxy(@TempDir Path tmp) throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(tmp.resolve("s3"), 0)) {
            ObjectStore store = new ObjectStore(new StorageSettings(s3.endpoint(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, "ich"));
            store.ensureBucket();
            store.ensureBucket(); // idempotent

            byte[] bytes = "a DICOM file, pretend".getBytes(StandardCharsets.UTF_8);
            store.put("raw/1.2/3.4/5.6.dcm", bytes, "application/dicom", Map.of(StoredObject.SHA256, "abc123"));
            store.put("raw/1.2/3.4/5.7.dcm", bytes, "application/dicom", Map.of());

            assertThat(store.get("raw/1.2/3.4/5.6.dcm")).isEqualTo(bytes);
            StoredObject stat = store.stat("raw/1.2/3.4/5.6.dcm").orElseThrow();
            assertThat(stat.size()).isEqualTo(bytes.length);
            assertThat(stat.sha256()).isEqualTo("abc123");
            assertThat(store.stat("raw/nothing.dcm")).isEmpty();
            List<String> keys = new ArrayList<>();
            store.list("raw/1.2/").forEach(o -> keys.add(o.key()));
            assertThat(keys).containsExactly("raw/1.2/3.4/5.6.dcm", "raw/1.2/3.4/5.7.dcm");
            store.delete("raw/1.2/3.4/5.7.dcm");
            assertThat(store.stat("raw/1.2/3.4/5.7.dcm")).isEmpty();
        }
    }

    @Test
    void theBrokerCarriesRecordsOnTheProjectsTopics(@TempDir Path tmp) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), 0, false)) {
            kafka.createTopics(List.of(Topics.all()), Set.of(Topics.SLICES_CLEANED), 2);
            kafka.createTopics(List.of(Topics.DICOM_INGESTED), Set.of(), 2); // existing topics are fine

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>(Topics.DICOM_INGESTED, "1.2.3", "{\"sop\":\"1.2.3\"}")).get();
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
                consumer.subscribe(List.of(Topics.DICOM_INGESTED));
                List<ConsumerRecord<String, String>> got = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (got.isEmpty() && System.nanoTime() < deadline) consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                assertThat(got).singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("1.2.3");
                    assertThat(r.value()).contains("1.2.3");
                });
            }
        }
    }
}
