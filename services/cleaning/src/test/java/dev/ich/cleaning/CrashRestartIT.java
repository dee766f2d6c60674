package dev.ich.cleaning;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.DicomIngested;
import dev.ich.core.event.Events;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.ObjectStore;
import dev.ich.testkit.EmbeddedBackends;
import dev.ich.testkit.QuarkusJar;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.ich.cleaning.CleaningProcess.CLEANING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real crash: the packaged service (quarkus-run.jar) is killed with SIGKILL in the middle of a stream and
 * started again on the same broker and bucket. Every slice must end up with a row, and a slice cleaned twice
 * (processed before the kill, offset not yet committed) must have the same row both times. Runs in
 * {@code mvn verify} (failsafe), after the jar is built.
 */
class CrashRestartIT {
    @Test
    void killedInTheMiddleOfAStreamAndStartedAgainItLosesNothing() throws Exception {
        try (EmbeddedBackends backends = EmbeddedBackends.start("ich-crash-restart")) {
            ObjectStore store = backends.store();
            List<SliceTruth> slices = PhantomUploads.generate(2, 24, 96, false).slices();
            Map<String, Object> client = Map.of("bootstrap.servers", backends.kafkaBootstrap());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(), new StringSerializer());
                 KafkaConsumer<String, String> rows = new KafkaConsumer<>(client, new StringDeserializer(), new StringDeserializer())) {
                for (SliceTruth t : slices) {
                    DicomIngested e = PhantomUploads.upload(store, t);
                    producer.send(new ProducerRecord<>(Topics.DICOM_INGESTED, t.sopInstanceUid(), Events.JSON.writeValueAsString(e)));
                }
                producer.flush();
                List<TopicPartition> partitions = rows.partitionsFor(Topics.SLICES_CLEANED).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                rows.assign(partitions);
                rows.seekToBeginning(partitions);
                List<ConsumerRecord<String, String>> seen = new ArrayList<>();

                QuarkusJar first = CLEANING.start(backends, "first.log");
                try {
                    await().atMost(Duration.ofSeconds(120)).until(() -> poll(rows, seen) >= 8);
                } finally {
                    first.kill();
                }
                int beforeKill = distinctKeys(seen);
                assertThat(beforeKill).as("killed in the middle, not after the end").isLessThan(slices.size());

                try (QuarkusJar second = CLEANING.start(backends, "second.log")) {
                    await().atMost(Duration.ofSeconds(180)).until(() -> {
                        poll(rows, seen);
                        return distinctKeys(seen) == slices.size();
                    });
                }
                Map<String, Set<String>> payloads = seen.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                        Collectors.mapping(ConsumerRecord::value, Collectors.toSet())));
                assertThat(payloads.keySet()).containsExactlyInAnyOrderElementsOf(slices.stream().map(SliceTruth::sopInstanceUid).toList());
                payloads.forEach((sop, rowsOfSop) -> assertThat(rowsOfSop).as("one row content per slice: " + sop).hasSize(1));
                System.out.printf("CRASH rows before kill=%d, records=%d for %d slices (%d redelivered)%n", beforeKill, seen.size(),
                        slices.size(), seen.size() - slices.size());
            }
        }
    }

    private static int poll(KafkaConsumer<String, String> rows, List<ConsumerRecord<String, String>> seen) {
        rows.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.size();
    }

    private static int distinctKeys(List<ConsumerRecord<String, String>> seen) {
        return (int) seen.stream().map(ConsumerRecord::key).distinct().count();
    }
}
