package dev.ich.testkit;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * A real single-node Kafka broker (KRaft) in this JVM, SmallRye's EmbeddedKafkaBroker. Logs live
 * under {@code logDir}, so a local stack keeps its topics across restarts.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** The local stack's cluster id, stable across restarts on the same log directory. */
    static final String PERSISTENT_CLUSTER_ID = "bxwqnkt9TiqcEQtefTqPQg";
    private final EmbeddedKafkaBroker broker;

    private EmbeddedKafka(EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    /** Starts on 127.0.0.1:{@code port} (0 for any free port). */
    public static EmbeddedKafka start(Path logDir, int port, boolean keepLogs) throws Exception {
        return start(logDir, "127.0.0.1", port, keepLogs);
    }

    /**
     * Starts on {@code bindHost}:{@code port} (the local stack's {@code --listen}). A wildcard address binds every
     * interface and advertises loopback, since a client must be told one address it can reach.
     */
    public static EmbeddedKafka start(Path logDir, String bindHost, int port, boolean keepLogs) throws Exception {
        Files.createDirectories(logDir);
        String advertised = Hosts.connectable(bindHost);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(0)
                .withKafkaHost(bindHost)
                .withKafkaPort(port)
                .withDeleteLogDirsOnClose(!keepLogs)
                // Kept logs are stamped with the cluster id they were formatted for; a fresh random id on
                // the next start made the broker refuse them ("Invalid cluster.id"), so keep one id.
                .withClusterId(keepLogs ? PERSISTENT_CLUSTER_ID : Uuid.randomUuid().toString())
                .withAdditionalProperties(p -> {
                    p.put("log.dirs", logDir.toAbsolutePath().toString());
                    p.put("num.partitions", "2");
                    p.put("offsets.topic.replication.factor", "1");
                    p.put("transaction.state.log.replication.factor", "1");
                    p.put("transaction.state.log.min.isr", "1");
                    p.put("group.initial.rebalance.delay.ms", "0");
                    if (!advertised.equals(bindHost)) {
                        p.put("advertised.listeners", "PLAINTEXT://" + (advertised.contains(":") ? "[" + advertised + "]" : advertised)
                                + ":" + port);
                    }
                });
        try {
            broker.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker on port " + port
                    + (port == 0 ? "" : " (is the port in use? choose another)") + ": " + e.getMessage(), e);
        }
        return new EmbeddedKafka(broker);
    }

    /** {@code host:port}, what clients take as bootstrap servers. */
    public String bootstrapServers() {
        return broker.getAdvertisedListeners().replaceFirst("^[A-Z_]+://", "");
    }

    /** Creates the topics that do not exist yet; {@code compacted} ones get cleanup.policy=compact. */
    public void createTopics(List<String> topics, Set<String> compacted, int partitions) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            List<NewTopic> wanted = new ArrayList<>();
            for (String t : topics) {
                NewTopic nt = new NewTopic(t, partitions, (short) 1);
                if (compacted.contains(t)) nt.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                wanted.add(nt);
            }
            admin.createTopics(wanted).values().forEach((name, f) -> {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause().getMessage(), e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
