package dev.ich.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import dev.ich.testkit.quarkus.KafkaTestResource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A plain consumer of dicom-ingested from the beginning, as the cleaning service would see it. */
public final class IngestedEvents implements AutoCloseable {
    /** One received record: key, JSON payload and headers as text. */
    public record Event(String key, JsonNode payload, Map<String, String> headers) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Event> seen = new ArrayList<>();

    public IngestedEvents() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "ingest-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.DICOM_INGESTED));
    }

    /** Everything received so far for {@code sop}, after one more poll. */
    public List<Event> about(String sop) {
        poll();
        return seen.stream().filter(e -> sop.equals(e.key())).toList();
    }

    private void poll() {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
            Map<String, String> headers = new java.util.HashMap<>();
            r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            try {
                seen.add(new Event(r.key(), Events.JSON.readTree(r.value()), headers));
            } catch (Exception e) {
                throw new IllegalStateException("event is not JSON: " + r.value(), e);
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
