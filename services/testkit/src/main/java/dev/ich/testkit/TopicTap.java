package dev.ich.testkit;

import dev.ich.core.event.Events;
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
 * A test's own view of a topic from its beginning (no consumer group: it never disturbs a service's
 * offsets), read a little more on every {@link #records()} call so Awaitility can poll it; and a
 * producer for the test's side of a conversation.
 */
public final class TopicTap implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    public TopicTap(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    public synchronized List<ConsumerRecord<String, String>> records() {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return List.copyOf(seen);
    }

    public static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Sends records and waits for the broker's acknowledgement of each. */
    public static final class Producer implements AutoCloseable {
        private final KafkaProducer<String, String> producer;

        public Producer(String bootstrapServers) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        }

        public void send(String topic, String key, String value) throws Exception {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }

        /** The event as JSON (core's mapper), keyed by {@code key}. */
        public void sendJson(String topic, String key, Object event) throws Exception {
            send(topic, key, Events.JSON.writeValueAsString(event));
        }

        /**
         * The event as JSON with the CloudEvents headers of event {@code id} (type {@code type}, source {@code /ich/test}):
         * what a producer sends, and sends again with the same id when it retries.
         */
        public void sendEvent(String topic, String key, Object event, String type, String id) throws Exception {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, Events.JSON.writeValueAsString(event));
            dev.ich.core.event.CloudEvents.attributes(id, "/ich/test", type, key, java.time.Instant.now())
                    .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
