package dev.ich.cleaning;

import dev.ich.core.event.Events;
import dev.ich.core.event.SliceCleaned;
import dev.ich.testkit.quarkus.KafkaTestResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * The testkit's {@link dev.ich.testkit.TopicTap} on the test broker, with what cleaning's tests add to it:
 * records of one key, rows parsed as {@link SliceCleaned}, and one shared producer for the test run.
 */
final class TopicTap implements AutoCloseable {
    private final dev.ich.testkit.TopicTap tap;

    TopicTap(String topic) {
        tap = new dev.ich.testkit.TopicTap(KafkaTestResource.bootstrapServers(), topic);
    }

    List<ConsumerRecord<String, String>> records() {
        return tap.records();
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
        return dev.ich.testkit.TopicTap.header(r, name);
    }

    private static dev.ich.testkit.TopicTap.Producer producer;

    /** One producer for the whole test run: creating one per message would dominate any timing. */
    private static synchronized dev.ich.testkit.TopicTap.Producer producer() {
        if (producer == null) producer = new dev.ich.testkit.TopicTap.Producer(KafkaTestResource.bootstrapServers());
        return producer;
    }

    /** Sends and waits for the broker's acknowledgement. */
    static void send(String topic, String key, String value) throws Exception {
        producer().send(topic, key, value);
    }

    static void send(String topic, Object event, String key) throws Exception {
        producer().sendJson(topic, key, event);
    }

    /** With the CloudEvents headers of event {@code id}, as ingest sends it (and sends it again when it retries). */
    static void sendEvent(String topic, Object event, String key, String type, String id) throws Exception {
        producer().sendEvent(topic, key, event, type, id);
    }

    @Override
    public void close() {
        tap.close();
    }
}
