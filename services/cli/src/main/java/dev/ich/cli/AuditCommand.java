package dev.ich.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import dev.ich.core.contract.Topics;
import dev.ich.core.event.Events;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The audit trail of the running stack: every record of the {@code audit} topic, one line each (who, what, outcome,
 * from where, what it touched), then new ones as they come. Reads without a consumer group: it commits nothing and
 * changes nothing for anyone else.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Follow the audit topic of the running local stack: who did what, when, from where, with what outcome.",
                "On a cluster, read the topic with any Kafka client (docs/security.md)."})
public final class AuditCommand implements Callable<Integer> {
    @Option(names = "--no-follow", description = "Stop after the records already on the topic instead of waiting for new ones.")
    boolean noFollow;

    @Option(names = "--json", description = "Print each record as the JSON on the topic (one per line).")
    boolean json;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka to read (default: the local stack's).")
    String bootstrap;

    @Override
    public Integer call() throws Exception {
        String servers = bootstrap != null ? bootstrap
                : new LocalStack(StackLayout.fromSystem(), System.err).readStackEnv().get("KAFKA_BOOTSTRAP");
        if (servers == null) {
            System.err.println("audit: the local stack is not running (./ich up), and no --bootstrap was given");
            return 3;
        }
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUDIT, Duration.ofSeconds(15)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (true) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) print(r.value(), System.out);
                System.out.flush();
                if (noFollow && partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) return 0;
            }
        }
    }

    void print(String record, PrintStream out) {
        if (json) {
            out.println(record);
            return;
        }
        out.println(line(record));
    }

    /** {@code time service action status result subject [roles] address entities}: one record, one line. */
    static String line(String record) {
        try {
            JsonNode r = Events.JSON.readTree(record);
            JsonNode agent = r.path("agent");
            StringBuilder roles = new StringBuilder();
            agent.path("roles").forEach(role -> roles.append(roles.length() == 0 ? "" : ",").append(role.asText()));
            StringBuilder touched = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("entities").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int n = e.getValue().size();
                touched.append(' ').append(e.getKey()).append('=').append(n == 0 ? "" : e.getValue().get(0).asText())
                        .append(n > 1 ? "(+" + (n - 1) + ")" : "");
            }
            return String.join(" ", r.path("recorded").asText(), r.path("service").asText(), r.path("action").asText(),
                    r.path("outcome").path("status").asText(), r.path("outcome").path("result").asText(),
                    agent.path("subject").asText("anonymous"), "[" + roles + "]", agent.path("address").asText("-")) + touched;
        } catch (Exception e) {
            return "(not an audit record: " + record + ")";
        }
    }
}
