package dev.ich.cleaning;

import dev.ich.core.event.Events;
import dev.ich.core.event.SliceCleaned;
import dev.ich.testkit.quarkus.KafkaTestResource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The test's own view of a topic from its beginning (no consumer group: it never disturbs the service's
 * offsets), read a little more on every {@link #records()} call so Awaitility can poll it, and a producer.
 */
final class TopicTap implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    TopicTap(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    synchronized List<ConsumerRecord<String, String>> records() {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return List.copyOf(seen);
    }

    /** Every record for this key so far, oldest first. */
    List<ConsumerRecord<String, String>> forKey(String key) {
        return records().stream().filter(r -> key.equals(r.key())).toList();
    }

    static SliceCleaned slice(ConsumerRecord<String, String> r) {
        try {
            return Events.JSON.readValue(r.value(), SliceCleaned.class);
        } catch (Exception e) {
            throw new AssertionError("not a SliceCleaned: " + r.value(), e);
        }
    }

    static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static KafkaProducer<String, String> producer;

    /** One producer for the whole test run: creating one per message would dominate any timing. */
    private static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        }
        return producer;
    }

    /** Sends and waits for the broker's acknowledgement. */
    static void send(String topic, String key, String value) throws Exception {
        producer().send(new ProducerRecord<>(topic, key, value)).get();
    }

    static void send(String topic, Object event, String key) throws Exception {
        send(topic, key, Events.JSON.writeValueAsString(event));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
