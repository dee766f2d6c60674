package dev.ich.trainer;

import dev.ich.core.contract.Topics;
import dev.ich.core.event.CloudEvents;
import dev.ich.core.event.Events;
import dev.ich.core.event.TrainingEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where a job's {@link TrainingEvent}s go: {@code training-events} (keyed by job id), and a line each on the console. */
interface EventSink extends AutoCloseable {
    void send(TrainingEvent event);

    @Override
    void close();

    /** One human-readable line per event (the job's log; ./ich experiment's output). */
    static EventSink console(PrintStream out) {
        return new EventSink() {
            public void send(TrainingEvent e) {
                StringBuilder b = new StringBuilder(e.kind());
                if (e.phase() != null) b.append(' ').append(e.phase());
                if (e.epoch() != null) b.append(String.format(Locale.ROOT, " epoch %d/%d", e.epoch() + 1, e.epochs()));
                if (e.step() != null) b.append(String.format(Locale.ROOT, " step %d/%d", e.step(), e.steps()));
                if (e.loss() != null) b.append(String.format(Locale.ROOT, " loss %.4f", e.loss()));
                if (e.metrics() != null) e.metrics().forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
                if (e.etaSeconds() != null) b.append(String.format(Locale.ROOT, " eta %.0f s", e.etaSeconds()));
                if (e.message() != null) b.append(" - ").append(e.message());
                out.println(b);
            }

            public void close() {
            }
        };
    }

    /**
     * Kafka when {@code bootstrap} is set. Progress is sent without waiting; started, epoch, completed and
     * failed wait for the broker (a job must not claim completion that nobody heard).
     */
    static EventSink kafka(String bootstrap, String source) {
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000));
        return new EventSink() {
            public void send(TrainingEvent e) {
                try {
                    ProducerRecord<String, String> record = new ProducerRecord<>(Topics.TRAINING_EVENTS, e.jobId(),
                            Events.JSON.writeValueAsString(e));
                    CloudEvents.attributes(source, TrainingEvent.TYPE, e.jobId(), e.time())
                            .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                    var sent = producer.send(record);
                    if (!TrainingEvent.PROGRESS.equals(e.kind())) sent.get(30, TimeUnit.SECONDS);
                } catch (Exception ex) {
                    throw new IllegalStateException("cannot publish the " + e.kind() + " event of job " + e.jobId()
                            + " to " + Topics.TRAINING_EVENTS + ": " + ex, ex);
                }
            }

            public void close() {
                producer.close(java.time.Duration.ofSeconds(10));
            }
        };
    }

    static EventSink both(EventSink a, EventSink b) {
        return new EventSink() {
            public void send(TrainingEvent e) {
                a.send(e);
                b.send(e);
            }

            public void close() {
                a.close();
                b.close();
            }
        };
    }
}
