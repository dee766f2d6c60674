package dev.ich.testkit.quarkus;

import dev.ich.core.contract.Topics;
import dev.ich.testkit.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real Kafka broker for a {@code @QuarkusTest}: started on a free port with every ich topic
 * created up front (so a consumer that subscribes before the first event sees it), and
 * {@code kafka.bootstrap.servers} pointed at it. Tests read it from the config key
 * {@value #BOOTSTRAP_KEY} or from {@link #bootstrapServers()}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String BOOTSTRAP_KEY = "kafka.bootstrap.servers";
    private static volatile String bootstrap;
    private static volatile EmbeddedKafka kafka;

    @Override
    public Map<String, String> start() {
        try {
            kafka = startOn(0);
            bootstrap = kafka.bootstrapServers();
            return Map.of(BOOTSTRAP_KEY, bootstrap, "quarkus.kafka.devservices.enabled", "false");
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Kafka broker: " + e.getMessage(), e);
        }
    }

    /** The running broker's {@code host:port}, for a test's own consumer. */
    public static String bootstrapServers() {
        if (bootstrap == null) throw new IllegalStateException("KafkaTestResource has not started");
        return bootstrap;
    }

    /** Stops the broker (an outage, for tests of what a service does without Kafka). */
    public static synchronized void stopBroker() {
        if (kafka != null) kafka.close();
        kafka = null;
    }

    /** Starts a fresh broker on the same port, topics created again (the end of the outage). */
    public static synchronized void restartBroker() {
        try {
            kafka = startOn(Integer.parseInt(bootstrapServers().substring(bootstrapServers().lastIndexOf(':') + 1)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot restart the test Kafka broker: " + e.getMessage(), e);
        }
    }

    private static EmbeddedKafka startOn(int port) throws Exception {
        Path logs = Files.createTempDirectory("ich-test-kafka");
        EmbeddedKafka started = EmbeddedKafka.start(logs, port, false);
        started.createTopics(List.of(Topics.all()), Set.of(Topics.SLICES_CLEANED), 2);
        return started;
    }

    @Override
    public void stop() {
        stopBroker();
    }
}
